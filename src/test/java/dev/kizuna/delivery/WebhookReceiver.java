package dev.kizuna.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server standing in for the systems webhooks and Slack messages go to: it records
 * every request and answers each path its own way (accepts, fails once, rejects, redirects,
 * answers too late).
 */
final class WebhookReceiver {

    /** One request as received. */
    record Request(String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .findFirst()
                    .map(entry -> entry.getValue().get(0))
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger flakyCalls = new AtomicInteger();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/crm", exchange -> answer(exchange, 200, "{\"received\": true}"));
        server.createContext("/slack", exchange -> answer(exchange, 200, "ok"));
        server.createContext("/flaky", exchange -> {
            boolean first = flakyCalls.incrementAndGet() == 1;
            answer(exchange, first ? 503 : 200, first ? "busy, try later" : "ok");
        });
        server.createContext("/reject", exchange -> answer(exchange, 422, "{\"error\": \"unknown type\"}"));
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://elsewhere.example/hook");
            answer(exchange, 302, "");
        });
        server.createContext("/slow", exchange -> {
            try {
                // A receiver slower than Kizuna's timeout: the delay is the point.
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "too late");
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requestsTo(String path) {
        List<Request> to = new ArrayList<>();
        requests.stream().filter(request -> request.path().equals(path)).forEach(to::add);
        return to;
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        requests.add(new Request(
                exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
