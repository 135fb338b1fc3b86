-- "en" was the column's default, so a stored "en" cannot tell a choice from no choice.
-- Those users now follow their browser's Accept-Language until they pick a language with
-- the switch; a stored "zh-CN" was always a choice and stays.
UPDATE "users" SET "locale" = NULL WHERE "locale" = 'en';
