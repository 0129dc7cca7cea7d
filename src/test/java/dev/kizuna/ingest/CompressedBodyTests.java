package dev.kizuna.ingest;

import static dev.kizuna.TestKeys.asAdmin;
import static dev.kizuna.TestKeys.asProduct;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** RudderStack and other libraries gzip their batches: a gzip body is read, a body that only claims to be gzip is a 400. */
@QuarkusTest
class CompressedBodyTests {

    @Test
    void aGzipBatchIsAccepted() throws IOException {
        String batch = """
                {"batch":[
                  {"type":"track","userId":"gz-u1","event":"Zipped","context":{"groupId":"gz-co"}},
                  {"type":"track","userId":"gz-u1","event":"Zipped","context":{"groupId":"gz-co"}}]}""";
        asProduct()
                .header("Content-Encoding", "gzip")
                .body(gzip(batch))
                .post("/v1/batch")
                .then()
                .statusCode(200)
                .body("success", equalTo(true));
        asAdmin().get("/api/accounts/gz-co").then().statusCode(200).body("events.'Zipped'.count", equalTo(2));
    }

    @Test
    void aBodyThatIsNotGzipIsA400ThatSaysSo() {
        asProduct()
                .header("Content-Encoding", "gzip")
                .body("{\"userId\":\"gz-u2\",\"event\":\"Plain\"}".getBytes(StandardCharsets.UTF_8))
                .post("/v1/track")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("gzip"));
        asAdmin().get("/api/users/gz-u2").then().statusCode(404);
    }

    @Test
    void aTruncatedGzipBodyIsA400ThatSaysSo() throws IOException {
        byte[] whole = gzip("{\"batch\":[{\"type\":\"track\",\"userId\":\"gz-u3\",\"event\":\"Cut Short\"}]}");
        asProduct()
                .header("Content-Encoding", "gzip")
                .body(Arrays.copyOf(whole, whole.length / 2))
                .post("/v1/batch")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("gzip"));
        asAdmin().get("/api/users/gz-u3").then().statusCode(404);
    }

    @Test
    void aSmallBodyThatInflatesPastTheBodyLimitIs413() throws IOException {
        String bomb = "{\"userId\":\"gz-u4\",\"event\":\"Bomb\",\"properties\":{\"x\":\"" + "0".repeat(4 * 1024 * 1024)
                + "\"}}";
        byte[] zipped = gzip(bomb);
        asProduct()
                .header("Content-Encoding", "gzip")
                .body(zipped)
                .post("/v1/track")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("decompressed"));
    }

    @Test
    void anEncodingKizunaCannotReadIs415() {
        asProduct()
                .header("Content-Encoding", "br")
                .body("{\"userId\":\"gz-u5\",\"event\":\"Brotli\"}".getBytes(StandardCharsets.UTF_8))
                .post("/v1/track")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("detail", containsString("br"));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zipped = new GZIPOutputStream(bytes)) {
            zipped.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
