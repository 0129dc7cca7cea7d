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

/** The message log: every decision, its cause and its content, newest first. */
@Path("/api/messages")
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

    private static final int MAX_LIMIT = 500;

    private final MessageSearch log;

    MessagesResource(MessageSearch log) {
        this.log = log;
    }

    /** A page of messages; pass nextBefore as 'before' to get the next one. */
    public record MessagePage(List<MessageView> items, Long nextBefore) {}

    @GET
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
        var query = new MessageSearch.Query(accountId, userId, rule, parse(Channel.class, "channel", channel),
                parse(MessageStatus.class, "status", status), before, limit);
        List<MessageView> items = log.list(query);
        Long nextBefore = items.size() == limit ? items.get(items.size() - 1).id() : null;
        return new MessagePage(items, nextBefore);
    }

    @GET
    @Path("/{id}")
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
