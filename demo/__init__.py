from . import res_partner_demo
