def migrate(cr, version):
    """A deposit schedule has a company since issue #15 (its lines and the orders using it follow it): a schedule
    created before without one takes the company of the user who created it, else the first company, before
    the column becomes NOT NULL."""
    if not version:
        return
    cr.execute(
        """
        SELECT 1
          FROM information_schema.columns
         WHERE table_name = 'credit_recovery_deposit_schedule' AND column_name = 'company_id'
        """
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        UPDATE credit_recovery_deposit_schedule schedule
           SET company_id = COALESCE(
                   (SELECT users.company_id FROM res_users users WHERE users.id = schedule.create_uid),
                   (SELECT MIN(company.id) FROM res_company company)
               )
         WHERE schedule.company_id IS NULL
        """
    )
