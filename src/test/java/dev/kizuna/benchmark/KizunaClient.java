package dev.kizuna.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** HTTP calls to the benchmarked instance, with a write key for the product API and an admin key for the rest. */
final class KizunaClient {

    static final String WRITE_KEY = "benchmark-write-key";
    static final String ADMIN_KEY = "benchmark-admin-key";

    private final int port;
    // HTTP/1.1 as Segment's libraries speak it: the JDK client would otherwise upgrade to
    // cleartext HTTP/2 and multiplex every request over one connection.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    KizunaClient(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    /** Posts JSON with the write key; the answer's status. */
    int postAsProduct(String path, String json) throws IOException, InterruptedException {
        return http.send(
                        product(path)
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Posts JSON with the write key; the whole answer, for calls whose body says more than the status. */
    HttpResponse<String> postAsProductAndRead(String path, String json) throws IOException, InterruptedException {
        return http.send(
                product(path).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getAsProduct(String path) throws IOException, InterruptedException {
        return http.send(product(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postAsAdmin(String path) throws IOException, InterruptedException {
        return http.send(
                admin(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJsonAsAdmin(String path, String json) throws IOException, InterruptedException {
        return http.send(
                admin(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getAsAdmin(String path) throws IOException, InterruptedException {
        return http.send(admin(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The instance's Prometheus metrics (no key needed). */
    String metrics() throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of one unlabelled counter or gauge in the metrics, by its Prometheus name. */
    double metric(String name) throws IOException, InterruptedException {
        return metrics(name).get(name);
    }

    /** The values of unlabelled counters or gauges, by their Prometheus names, read from one scrape so that they agree in time. */
    Map<String, Double> metrics(String... names) throws IOException, InterruptedException {
        Map<String, Double> values = new HashMap<>();
        for (String line : metrics().split("\n")) {
            for (String name : names) {
                if (!values.containsKey(name) && (line.startsWith(name + " ") || line.startsWith(name + "{"))) {
                    values.put(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
        }
        for (String name : names) {
            if (!values.containsKey(name)) {
                throw new AssertionError(name + " is not in /q/metrics");
            }
        }
        return values;
    }

    /** The write key goes as the HTTP Basic user, as Segment's libraries send it. */
    private HttpRequest.Builder product(String path) {
        return request(
                path,
                "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder admin(String path) {
        return request(path, "Bearer " + ADMIN_KEY);
    }

    private HttpRequest.Builder request(String path, String authorization) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", authorization);
    }
}
