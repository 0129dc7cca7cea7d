package dev.kizuna.security;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "kizuna.bootstrap")
public interface SecurityConfig {

    /** A write key created at start-up if absent (KIZUNA_BOOTSTRAP_WRITE_KEY). */
    Optional<String> writeKey();

    /** An admin key created at start-up if absent (KIZUNA_BOOTSTRAP_ADMIN_KEY). */
    Optional<String> adminKey();
}
