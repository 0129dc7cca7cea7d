package dev.kizuna.ui;

import dev.kizuna.SequenceProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.kizuna.TestKeys.asProduct;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules page shows a sequence's funnel: who entered, what each step did, why recipients left; in English and Japanese. */
@QuarkusTest
@TestProfile(SequenceProfile.class)
class UiSequenceFunnelTests {

    @Test
    void theRulesPageShowsASequencesFunnel() {
        asProduct().body(Map.of("userId", "u-ui-seq", "traits", Map.of("email", "u-ui-seq@seq.example"))).post("/v1/identify")
                .then().statusCode(200);
        asProduct().body(Map.of("userId", "u-ui-seq", "groupId", "ui-seq", "traits", Map.of("plan", "trial"))).post("/v1/group")
                .then().statusCode(200);
        asProduct().body(Map.of("userId", "u-ui-seq", "event", "UI Sequence Started", "context", Map.of("groupId", "ui-seq"))).post("/v1/track")
                .then().statusCode(200);

        String csm = UiKeys.sessionOf(UiKeys.create("csm").secret());
        String english = given().cookie(UiSessions.COOKIE, csm).header("Accept-Language", "en").get("/ui/rules").then().statusCode(200)
                .extract().asString();
        String funnel = english.substring(english.indexOf("id=\"funnel-ui-sequence\""));
        assertTrue(funnel.contains("1 entered, 1 inside now"), funnel);
        assertTrue(funnel.contains("<code>welcome</code>: 1 sent, 0 skipped"), funnel);
        assertTrue(funnel.contains("<code>reminder</code>: 0 sent, 0 skipped"), "every step is listed, reached or not: " + funnel);
        String japanese = given().cookie(UiSessions.COOKIE, csm).header("Accept-Language", "ja").get("/ui/rules").then().statusCode(200)
                .extract().asString();
        String japaneseFunnel = japanese.substring(japanese.indexOf("id=\"funnel-ui-sequence\""));
        assertTrue(japaneseFunnel.contains("1 人が開始、現在 1 人が進行中"), japaneseFunnel);
        assertTrue(japaneseFunnel.contains("<code>welcome</code>: 送信 1、スキップ 0"), japaneseFunnel);
    }
}
