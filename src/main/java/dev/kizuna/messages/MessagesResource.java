package dev.kizuna.messages;

import dev.kizuna.problem.ProblemException;
import dev.kizuna.problem.QueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The message log: every decision, its cause and its content, newest first. */
@Path("/api/messages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
public class MessagesResource {

    private static final int MAX_LIMIT = 500;

    private final MessageSearch log;

    MessagesResource(MessageSearch log) {
        this.log = log;
    }

    /** A page of messages; pass nextBefore as 'before' to get the next one. */
    public record MessagePage(List<MessageView> items, Long nextBefore) {}

    @GET
    @Operation(
            summary = "The message log",
            description =
                    "Every message decided, newest first, with its cause and content; filtered by accountId, userId, rule, "
                            + "channel and status; a page of limit (50, at most 500) before the previous page's nextBefore.")
    @APIResponse(responseCode = "200", description = "A page of messages and the nextBefore of the next page")
    @APIResponse(responseCode = "400", description = "limit, before, channel or status is not a value it can take")
    public MessagePage list(
            @QueryParam("accountId") String accountId,
            @QueryParam("userId") String userId,
            @QueryParam("rule") String rule,
            @QueryParam("channel") String channel,
            @QueryParam("status") String status,
            @QueryParam("before") String beforeText,
            @QueryParam("limit") String limitText) {
        int limit = QueryParameters.limit(limitText, 50, MAX_LIMIT);
        Long before = QueryParameters.id("before", beforeText);
        var query = new MessageSearch.Query(
                accountId,
                userId,
                rule,
                parse(Channel.class, "channel", channel),
                parse(MessageStatus.class, "status", status),
                before,
                limit);
        List<MessageView> items = log.list(query);
        Long nextBefore = items.size() == limit ? items.get(items.size() - 1).id() : null;
        return new MessagePage(items, nextBefore);
    }

    @GET
    @Path("/{id}")
    @Operation(
            summary = "One message",
            description =
                    "The message with its content as sent, its cause and explanation, and its timeline (sent, attempt failed, "
                            + "failed, bounced, suppressed, opened, clicked, unsubscribed, seen, dismissed, converted).")
    @APIResponse(responseCode = "200", description = "The message")
    @APIResponse(responseCode = "400", description = "The id is not a whole number")
    @APIResponse(responseCode = "404", description = "No message with this id")
    public MessageView one(@PathParam("id") String idText) {
        Long id = QueryParameters.id("id", idText);
        return log.find(id).orElseThrow(() -> ProblemException.notFound("no message with id " + id));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw ProblemException.badField(field, "unknown value '" + value + "'");
    }
}
