"""The monthly billing run (#12, goal 2): invoices for every active account of a tenant for one
month, formed set-based in chunks of account ids that any number of Celery workers share.

``planning`` starts (or resumes) a run and cuts it into chunks; ``chunks`` claims a chunk and
writes it in one transaction; ``postgres`` forms a chunk's invoices with INSERT … SELECT and
``portable`` forms them with the one invoice builder's pricing (billing/invoicing.py) and bulk
inserts, for SQLite and as the reference. Both give the same invoices as ``form_period_invoice``.
"""
