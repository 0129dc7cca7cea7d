package dev.kizuna.delivery;

import dev.kizuna.TestFolders;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * kizuna.mail.from with a Japanese name, a template whose template.yaml names a Japanese sender of
 * its own, and the periodic poll of the outbox turned off, so that an email leaves only when the
 * transaction that queued it wakes the sender. The Japanese header and the sending-on-commit
 * tests share it, so Quarkus starts once for both.
 */
public class JapaneseSenderWithoutPolling implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path root = TestFolders.copyOfSamples("kizuna-japanese-sender");
            Path letter = root.resolve("templates/ja-letter");
            TestFolders.copyTree(Path.of("templates/welcome"), letter);
            Files.writeString(
                    letter.resolve("template.yaml"),
                    "description: A letter from support.\ncategory: product\nfrom: \""
                            + JapaneseEmailHeadersTests.TEMPLATE_SENDER + "\"\n");
            Files.writeString(letter.resolve("subject_ja.ftl"), "サポートからのお知らせ：${user.first_name!\"\"}さんへ");
            Files.writeString(root.resolve("rules/ja-letter.yaml"), """
                    name: A letter from support
                    trigger:
                      event: Letter Requested
                    actions:
                      - channel: email
                        template: ja-letter
                    limits:
                      quiet_hours: false
                    """);
            return Map.of(
                    "kizuna.rules.dir",
                    root.resolve("rules").toString(),
                    "kizuna.templates.dir",
                    root.resolve("templates").toString(),
                    "kizuna.mail.from",
                    JapaneseEmailHeadersTests.DEFAULT_SENDER,
                    "kizuna.delivery.poll-interval",
                    "off");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
