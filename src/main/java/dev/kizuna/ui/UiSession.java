package dev.kizuna.ui;

import dev.kizuna.security.Role;
import java.time.Instant;

/** What a signed session cookie says: which key signed in, with which role, until when. */
record UiSession(long keyId, Role role, Instant expiresAt, String token) {}
