-- A programme token reads the programme's calendar feed: managers'
-- calendar programs subscribe by address and cannot send the manager
-- API's header. Like admin and metrics tokens it speaks for no one.

-- +goose Up
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_kind_check;
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_subject_check;
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_kind_check CHECK (kind IN ('admin', 'metrics', 'programme', 'host', 'feed'));
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_subject_check CHECK ((kind IN ('admin', 'metrics', 'programme')) = (subject = ''));

-- +goose Down
DELETE FROM access_tokens WHERE kind = 'programme';
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_subject_check;
ALTER TABLE access_tokens DROP CONSTRAINT access_tokens_kind_check;
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_kind_check CHECK (kind IN ('admin', 'metrics', 'host', 'feed'));
ALTER TABLE access_tokens ADD CONSTRAINT access_tokens_subject_check CHECK ((kind IN ('admin', 'metrics')) = (subject = ''));
