package dev.kizuna;

import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** The bootstrap keys of the test profile, and requests that carry them. */
public final class TestKeys {

    public static final String WRITE_KEY = "test-write-key";
    public static final String ADMIN_KEY = "test-admin-key";

    private TestKeys() {}

    /** A request as a product's Segment library sends it: write key as Basic user, empty password. */
    public static RequestSpecification asProduct() {
        return given().auth().preemptive().basic(WRITE_KEY, "").contentType("application/json");
    }

    public static RequestSpecification asAdmin() {
        return given().header("Authorization", "Bearer " + ADMIN_KEY);
    }
}
