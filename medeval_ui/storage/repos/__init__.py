"""Repository functions: every query and write the services need (DESIGN.md section 1).

Each function takes the caller's ``Session`` (the service owns the transaction through
``Database.read()`` / ``Database.write()``), runs one query or one write, and returns plain
values, dicts, tuples or ORM rows. Use-case rules (validation, conflicts, audit) stay in
the services; a whole query moves here, so an import's per-row loop calls nothing new.
"""
