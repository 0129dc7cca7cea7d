Invite teammates
