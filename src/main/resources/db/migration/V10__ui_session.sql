-- One row per sign-in to the web UI, so that a session ends on the server when its user signs
-- out (a copied cookie is worthless afterwards) and every instance sees the same sessions.
-- The id is the SHA-256 of the cookie's random part: reading the table gives no usable cookie.
create table ui_session (
    id          varchar(64) primary key,
    key_id      bigint not null,
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    ended_at    timestamp with time zone
);
create index ui_session_expiry on ui_session (expires_at);
