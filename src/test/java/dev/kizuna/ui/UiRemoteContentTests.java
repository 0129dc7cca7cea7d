package dev.kizuna.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.kizuna.messages.Channel;
import dev.kizuna.messages.MessageRecorder;
import dev.kizuna.messages.MessageStatus;
import dev.kizuna.messages.NewMessage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Reading an email in the UI loads nothing from outside Kizuna unless its reader asks for the remote images. */
@QuarkusTest
class UiRemoteContentTests {

    @Inject
    MessageRecorder log;

    @Test
    void aMessageWithARemoteLogoIsShownWithRemoteImagesBlockedAndAControlToShowThem() {
        long id = emailWith("<p>Hello</p><img src=\"https://cdn.example.net/logo.png\" alt=\"Logo\">");
        String session = UiKeys.sessionOf(UiKeys.create("csm").secret());

        given().cookie(UiSessions.COOKIE, session)
                .get("/ui/messages/" + id)
                .then()
                .statusCode(200)
                .header(
                        "Content-Security-Policy",
                        allOf(containsString("img-src 'self' data:;"), not(containsString("img-src *"))))
                .body(containsString("Remote images are blocked"))
                .body(containsString("href=\"/ui/messages/" + id
                        + "?remote-images=show#email-heading\" id=\"show-remote-images\">Show remote images</a>"))
                .body(containsString("they learn that the email was read"));
        given().cookie(UiSessions.COOKIE, session)
                .cookie(UiLanguage.COOKIE, "ja")
                .get("/ui/messages/" + id)
                .then()
                .statusCode(200)
                .body(containsString(">外部画像を表示する</a>"))
                .body(containsString("開封として数えられることがあります"));
    }

    @Test
    void showingRemoteImagesRelaxesTheImagePolicyOfThatMessagePageOnly() {
        long id = emailWith("<img src=\"http://tracker.example.org/pixel.gif\" width=\"1\" height=\"1\">");
        String session = UiKeys.sessionOf(UiKeys.create("csm").secret());

        given().cookie(UiSessions.COOKIE, session)
                .queryParam("remote-images", "show")
                .get("/ui/messages/" + id)
                .then()
                .statusCode(200)
                .header(
                        "Content-Security-Policy",
                        allOf(
                                containsString("img-src * data:;"),
                                containsString("script-src 'none'"),
                                containsString("frame-ancestors 'none'")))
                .body(containsString("Remote images are shown on this page"))
                .body(containsString("id=\"block-remote-images\""));
        given().cookie(UiSessions.COOKIE, session)
                .queryParam("remote-images", "show")
                .get("/ui/messages")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("img-src 'self' data:;"));
        given().cookie(UiSessions.COOKIE, session)
                .queryParam("remote-images", "yes")
                .get("/ui/messages/" + id)
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("img-src 'self' data:;"));
    }

    @Test
    void anEmailWithNothingRemoteHasNoRemoteImageControl() {
        long id = emailWith(
                "<p>Only <strong>text</strong> and <img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"></p>");
        given().cookie(UiSessions.COOKIE, UiKeys.sessionOf(UiKeys.create("csm").secret()))
                .get("/ui/messages/" + id)
                .then()
                .statusCode(200)
                .body(not(containsString("id=\"remote-images\"")));
    }

    /** An email as the engine records it after rendering a template that refers to images elsewhere. */
    private long emailWith(String html) {
        return QuarkusTransaction.requiringNew()
                .call(() -> log.record(new NewMessage(
                        "welcome-new-workspace",
                        "v1",
                        "remote-acme",
                        "remote-ada",
                        Channel.EMAIL,
                        "welcome",
                        "en",
                        MessageStatus.SENT,
                        NewMessage.Cause.event(
                                "remote-signup",
                                "event 'Signed Up' (event remote-signup); audience: the account is in [trial]"),
                        "ada@remote.example",
                        "Welcome",
                        html,
                        "Welcome",
                        null,
                        "product",
                        "Tasklane <hello@tasklane.example>",
                        null)));
    }
}
