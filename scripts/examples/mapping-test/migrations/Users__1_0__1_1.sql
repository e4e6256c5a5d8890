-- Users: how a row of version 1.0 becomes a row of version 1.1.
-- Generated on 2026-11-30, and yours from now on: dcm reads this file instead of generating
-- the mapping (a Mapping for the same versions in the model's script wins over it). Edit the expressions;
-- keep one `<expression> AS `column`` per column of 1.1 and FROM {source} at the end (no WHERE:
-- every row maps to one row). Expressions read the columns of 1.0. `mapping Users 1.0 1.1`
-- shows what is in force; `plan` has ClickHouse check each column's type.
-- 1.0: `id` String, `name` String, `age` String, `legacy` Int32
-- 1.1: `id` String, `fullName` String, `age` Int16, `level` Int8, `country` String DEFAULT 'nl'
-- note: age: String -> Int16: a value that does not convert is refused when it is inserted (never stored as a default); edit the mapping to decide otherwise
-- note: legacy is not in version 1.1: its values stay in 1.0 only
SELECT
    `id` AS `id`,                        -- same
    substring(`name`, 1, 8) AS `fullName`, -- renamed from name, cut to 8 characters
    if(throwIf(toString(CAST(`age` AS Int16)) != `age`) = 0, CAST(`age` AS Int16), CAST(`age` AS Int16)) AS `age`, -- converted: String -> Int16
    toInt8(`legacy`) AS `level`,         -- legacy as a byte (toInt8 wraps what does not fit: the test shows it)
    CAST(('nl') AS String) AS `country`  -- default (new in 1.1)
FROM {source}
