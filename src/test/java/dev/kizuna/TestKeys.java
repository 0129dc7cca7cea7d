package dev.kizuna;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** The bootstrap keys of the test profile, and requests that carry them. */
public final class TestKeys {

    public static final String WRITE_KEY = "test-write-key";
    public static final String ADMIN_KEY = "test-admin-key";

    private TestKeys() {}

    /**
     * A request as a product's Segment library sends it (write key as Basic user, empty password),
     * answered once its calls are processed, so that a test reads their effects right after.
     */
    public static RequestSpecification asProduct() {
        return asProductNotWaiting().queryParam("wait", "decided");
    }

    /** As a Segment library sends it: answered once the calls are durably acknowledged, before they are processed. */
    public static RequestSpecification asProductNotWaiting() {
        return given().auth().preemptive().basic(WRITE_KEY, "").contentType("application/json");
    }

    public static RequestSpecification asAdmin() {
        return given().header("Authorization", "Bearer " + ADMIN_KEY);
    }
}
