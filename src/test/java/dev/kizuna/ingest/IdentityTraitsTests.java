package dev.kizuna.ingest;

import static dev.kizuna.SegmentCalls.group;
import static dev.kizuna.SegmentCalls.identify;
import static dev.kizuna.TestKeys.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What identify and group traits become: the user's and account's columns, and what templates greet them with. */
@QuarkusTest
class IdentityTraitsTests {

    @Test
    void aUserWithoutANameHasNoFirstNameSoTheTemplateDefaultGreetsThem() {
        identify("id-nameless", Map.of("email", "nameless@id.example")).statusCode(200);
        previewText("id-nameless").then().statusCode(200).body("email.text", startsWith("Hi there,"));
    }

    @Test
    void theFirstNameIsTheFirstNameTraitElseTheFirstWordOfTheName() {
        identify("id-named", Map.of("name", "Ada Lovelace")).statusCode(200);
        previewText("id-named").then().statusCode(200).body("email.text", startsWith("Hi Ada,"));
        identify("id-first", Map.of("name", "Lovelace", "first_name", "Augusta Ada"))
                .statusCode(200);
        previewText("id-first").then().statusCode(200).body("email.text", startsWith("Hi Augusta Ada,"));
    }

    @Test
    void aControlCharacterInANameBecomesASpaceAndTheNameIsKept() {
        identify("id-pasted", Map.of("name", "Grace\r\nHopper\u0007", "locale", "en\t", "email", "grace@id.example"))
                .statusCode(200);
        asAdmin()
                .get("/api/users/id-pasted")
                .then()
                .statusCode(200)
                .body("name", equalTo("Grace Hopper"))
                .body("locale", equalTo("en"))
                .body("traits.name", equalTo("Grace\r\nHopper\u0007"));
        previewText("id-pasted").then().statusCode(200).body("email.text", startsWith("Hi Grace,"));
    }

    @Test
    void aControlCharacterInAnAccountTraitBecomesASpaceAndTheValueIsKept() {
        group("id-csm", "id-pasted-co", Map.of("plan", "team\n", "csm", "Yui\tSato"))
                .statusCode(200);
        asAdmin()
                .get("/api/accounts/id-pasted-co")
                .then()
                .statusCode(200)
                .body("plan", equalTo("team"))
                .body("ownerCsm", equalTo("Yui Sato"));
    }

    @Test
    void anEmailAddressWithALineBreakIsNoAddress() {
        identify("id-injected", Map.of("email", "ada@id.example\r\nBcc: mallory@evil.example"))
                .statusCode(200);
        asAdmin().get("/api/users/id-injected").then().statusCode(200).body("email", nullValue());
    }

    private static io.restassured.response.Response previewText(String userId) {
        return asAdmin()
                .contentType("application/json")
                .body(Map.of("userId", userId, "locale", "en"))
                .post("/api/templates/onboarding-checkin/preview");
    }
}
