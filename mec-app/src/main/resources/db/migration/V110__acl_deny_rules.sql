-- Issue 20 item 7: ACL rules can deny, and can apply to anonymous clients (deny only; docs/mqtt.md, "Access rules").
ALTER TABLE acl_rules
    ADD COLUMN effect    text    NOT NULL DEFAULT 'ALLOW' CHECK (effect IN ('ALLOW', 'DENY')),
    ADD COLUMN anonymous boolean NOT NULL DEFAULT false;
