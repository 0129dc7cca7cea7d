package dev.kizuna.ui;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kizuna.SegmentCalls;
import dev.kizuna.SequenceProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules page shows a sequence's funnel: who entered, what each step did, why recipients left; in English and Japanese. */
@QuarkusTest
@TestProfile(SequenceProfile.class)
class UiSequenceFunnelTests {

    @Test
    void theRulesPageShowsASequencesFunnel() {
        SegmentCalls.identify("u-ui-seq", Map.of("email", "u-ui-seq@seq.example"))
                .statusCode(200);
        SegmentCalls.group("u-ui-seq", "ui-seq", Map.of("plan", "trial")).statusCode(200);
        SegmentCalls.track("u-ui-seq", "UI Sequence Started", "ui-seq", null).statusCode(200);

        String csm = UiKeys.sessionOf(UiKeys.create("csm").secret());
        String english = given().cookie(UiSessions.COOKIE, csm)
                .header("Accept-Language", "en")
                .get("/ui/rules")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String funnel = english.substring(english.indexOf("id=\"funnel-ui-sequence\""));
        assertTrue(funnel.contains("1 entered, 1 inside now"), funnel);
        assertTrue(funnel.contains("<code>welcome</code>: 1 sent, 0 skipped"), funnel);
        assertTrue(
                funnel.contains("<code>reminder</code>: 0 sent, 0 skipped"),
                "every step is listed, reached or not: " + funnel);
        String japanese = given().cookie(UiSessions.COOKIE, csm)
                .header("Accept-Language", "ja")
                .get("/ui/rules")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String japaneseFunnel = japanese.substring(japanese.indexOf("id=\"funnel-ui-sequence\""));
        assertTrue(japaneseFunnel.contains("1 人が開始、現在 1 人が進行中"), japaneseFunnel);
        assertTrue(japaneseFunnel.contains("<code>welcome</code>: 送信 1、スキップ 0"), japaneseFunnel);
    }
}
