package dev.kizuna.benchmark;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The SMTP server the benchmark sends to: Postfix's smtp-sink (Debian package {@code postfix}),
 * a separate process made to accept and discard mail as fast as it comes, so that neither Kizuna
 * nor the raw baseline is measured against a server sharing the benchmark's JVM. Where it is not
 * installed, GreenMail in this JVM stands in, and the report says so.
 */
final class SmtpSink implements AutoCloseable {

    private final Process sink;
    private final GreenMail greenMail;

    private SmtpSink(Process sink, GreenMail greenMail) {
        this.sink = sink;
        this.greenMail = greenMail;
    }

    static SmtpSink start(int port) throws IOException, InterruptedException {
        Path smtpSink = installed();
        if (smtpSink == null) {
            System.out.println("smtp-sink (Debian package postfix) is not installed:"
                    + " email is measured against GreenMail in the benchmark's JVM");
            GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            greenMail.start();
            return new SmtpSink(null, greenMail);
        }
        List<String> command = new ArrayList<>(List.of(smtpSink.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            // It refuses to run as root without a user to switch to once it has its socket.
            command.addAll(List.of("-u", "nobody"));
        }
        command.addAll(List.of("127.0.0.1:" + port, "256"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "smtp-sink.log").toFile())
                .start();
        awaitListening(port, process);
        return new SmtpSink(process, null);
    }

    /** What the email figures were measured against. */
    String name() {
        return sink != null ? "smtp-sink" : "GreenMail in the benchmark's JVM (smtp-sink not installed)";
    }

    private static Path installed() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "smtp-sink"));
        Stream<Path> candidates = Stream.concat(Stream.of(Path.of("/usr/sbin/smtp-sink")), onPath);
        return candidates.filter(Files::isExecutable).findFirst().orElse(null);
    }

    private static void awaitListening(int port, Process process) {
        try {
            await("smtp-sink listening on port " + port)
                    .atMost(Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> listening(port, process));
        } catch (ConditionTimeoutException notListening) {
            process.destroyForcibly();
            throw notListening;
        }
    }

    private static boolean listening(int port, Process process) {
        if (!process.isAlive()) {
            throw new IllegalStateException("smtp-sink stopped at once; see target/smtp-sink.log");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (sink != null) {
            sink.destroy();
            sink.waitFor();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }
}
