package dev.kizuna.delivery;

import dev.kizuna.common.HttpAddress;
import dev.kizuna.common.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where webhook and Slack actions post: targets named in configuration, never a URL taken from
 * event data, so that what a product sends cannot make Kizuna call an address of its choosing.
 */
@ConfigMapping(prefix = "kizuna.webhooks")
public interface WebhookTargets {

    /** By name: kizuna.webhooks.targets.crm.url=https://..., .secret=whsec_... (signs webhook actions). */
    Map<String, Target> targets();

    /** How long a post may take, connecting and answering together, before it counts as failed for now. */
    @WithDefault("10s")
    @PositiveDuration
    Duration sendTimeout();

    interface Target {
        @HttpAddress(
                message = "is ${validatedValue}: must be the http or https address the target receives posts at, "
                        + "e.g. https://crm.example/hooks/kizuna")
        String url();

        /** The Standard Webhooks secret (whsec_ and base64); without it a webhook is sent unsigned. Not used for Slack. */
        Optional<String> secret();
    }
}
