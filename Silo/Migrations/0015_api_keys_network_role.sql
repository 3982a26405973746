-- The network role (the card network's gateway: advices and forced captures) can be issued as a key of its own, with no
-- merchant scope like an admin key. 0006 allowed only admin and terminal keys, so issuing a network key failed.
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'terminal', 'network'));
