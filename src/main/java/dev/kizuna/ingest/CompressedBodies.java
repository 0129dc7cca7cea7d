package dev.kizuna.ingest;

import dev.kizuna.problem.Problem.Violation;
import dev.kizuna.problem.ProblemException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} (RudderStack and other libraries gzip
 * their batches) or {@code deflate}. Decompressed here rather than by the HTTP server, whose
 * decompressor closes the connection without an answer on a body that is not what it claims and
 * passes a truncated one on as if it were whole: here both are a 400 that says so, and a body that
 * inflates past the HTTP body limit is a 413.
 */
@Provider
public class CompressedBodies implements ReaderInterceptor {

    /** The same as quarkus.http.limits.max-body-size: decompressed, a body may be no larger than it may be sent. */
    static final int MAX_DECOMPRESSED_BYTES = 1024 * 1024;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        String encoding = context.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
            return context.proceed();
        }
        String name = encoding.strip().toLowerCase(Locale.ROOT);
        if (!name.equals("gzip") && !name.equals("x-gzip") && !name.equals("deflate")) {
            throw new ProblemException(
                    415,
                    "Unsupported Media Type",
                    "Content-Encoding '" + encoding
                            + "' is not supported: send the body as it is, or with gzip or deflate",
                    List.of(Violation.atField("Content-Encoding", "must be gzip, deflate or identity")));
        }
        try {
            InputStream compressed = context.getInputStream();
            InputStream decompressed =
                    name.equals("deflate") ? new InflaterInputStream(compressed) : new GZIPInputStream(compressed);
            context.setInputStream(new Limited(decompressed, encoding));
            context.getHeaders().remove(HttpHeaders.CONTENT_ENCODING);
            return context.proceed();
        } catch (ZipException | EOFException broken) {
            throw notCompressed(name, broken);
        } catch (IOException e) {
            // The body reader may wrap what the decompressing stream threw.
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ZipException || cause instanceof EOFException) {
                    throw notCompressed(name, cause);
                }
            }
            throw e;
        }
    }

    private static ProblemException notCompressed(String encoding, Throwable why) {
        String format = encoding.equals("deflate") ? "deflate (zlib)" : "gzip";
        String message = "is declared Content-Encoding: " + encoding + " but is not valid " + format + " ("
                + (why instanceof EOFException ? "it ends before the compressed data does" : why.getMessage()) + ")";
        return ProblemException.badRequest("the body " + message, List.of(Violation.atField("body", message)));
    }

    /** Stops a small compressed body from inflating into an unbounded one. */
    private static final class Limited extends FilterInputStream {

        private final String encoding;
        private long read;

        Limited(InputStream in, String encoding) {
            super(in);
            this.encoding = encoding;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_DECOMPRESSED_BYTES) {
                String detail = "the body decompressed from " + encoding + " is larger than " + MAX_DECOMPRESSED_BYTES
                        + " bytes";
                throw new ProblemException(
                        413, "Content Too Large", detail, List.of(Violation.atField("body", detail)));
            }
        }
    }
}
