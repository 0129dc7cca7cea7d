-- Frequency caps per account count what all the users of an account got on a channel recently.
create index message_account_channel_time on message (account_id, channel, created_at);
