-- The settlement of a day gains what the authorization lifecycle posts (Grains/Settlement/SettlementChunk.cs):
-- captures (posted from holds, or beyond them), refunds (credits) and advices (what the network decided: every advice
-- counted, and the money the payment advices posted; what an authorization advice holds is posted by its captures).
-- Days settled before this migration read zero for them, as they had none.
ALTER TABLE settlements ADD COLUMN IF NOT EXISTS capture_count  bigint NOT NULL DEFAULT 0 CHECK (capture_count >= 0);
ALTER TABLE settlements ADD COLUMN IF NOT EXISTS capture_amount bigint NOT NULL DEFAULT 0 CHECK (capture_amount >= 0);
ALTER TABLE settlements ADD COLUMN IF NOT EXISTS refund_count   bigint NOT NULL DEFAULT 0 CHECK (refund_count >= 0);
ALTER TABLE settlements ADD COLUMN IF NOT EXISTS refund_amount  bigint NOT NULL DEFAULT 0 CHECK (refund_amount >= 0);
ALTER TABLE settlements ADD COLUMN IF NOT EXISTS advice_count   bigint NOT NULL DEFAULT 0 CHECK (advice_count >= 0);
ALTER TABLE settlements ADD COLUMN IF NOT EXISTS advice_amount  bigint NOT NULL DEFAULT 0 CHECK (advice_amount >= 0);
