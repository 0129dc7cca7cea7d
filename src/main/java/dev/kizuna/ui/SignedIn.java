package dev.kizuna.ui;

import dev.kizuna.problem.ProblemException;
import dev.kizuna.security.ApiKeys;
import dev.kizuna.security.Role;
import jakarta.enterprise.context.RequestScoped;

/** Who is signed in to the UI for the current request; set by {@link UiAccessFilter}. */
@RequestScoped
class SignedIn {

    private final UiSessions sessions;
    private UiSession session;
    private ApiKeys.Authenticated key;
    private Refusal refusal = Refusal.NONE;

    /** Why the UI refused a request, so that the error page can say it in the reader's language. */
    enum Refusal {
        /** Not refused by the UI itself (or not refused at all). */
        NONE,
        /** The form's CSRF token is missing or belongs to another session. */
        CSRF,
        /** The key's role may read but not preview, simulate or reload. */
        MARKETER_ONLY
    }

    SignedIn(UiSessions sessions) {
        this.sessions = sessions;
    }

    void set(UiSession session, ApiKeys.Authenticated key) {
        this.session = session;
        this.key = key;
    }

    boolean present() {
        return session != null;
    }

    String keyName() {
        return key.name();
    }

    Role role() {
        return key.role();
    }

    /** Marketers and admins may preview templates and simulate rules; CSMs only read. */
    boolean mayPreview() {
        return key != null && key.role().grants(Role.MARKETER);
    }

    void requireMarketer() {
        if (!mayPreview()) {
            refusal = Refusal.MARKETER_ONLY;
            throw ProblemException.forbidden("previews and simulations need a marketer or admin key; a "
                    + key.role().wireName() + " key can read");
        }
    }

    /** Signs out: the session ends on the server, so its cookie is worthless even where it was kept. */
    void signOut() {
        sessions.end(session);
    }

    /** Why the UI refused this request, if it refused it itself. */
    Refusal refusal() {
        return refusal;
    }

    String csrfToken() {
        return sessions.csrfToken(session);
    }

    /** Every form that changes something carries the session's CSRF token. */
    void requireCsrf(String presented) {
        if (!sessions.csrfMatches(session, presented)) {
            refusal = Refusal.CSRF;
            throw ProblemException.forbidden(
                    "the form's CSRF token is missing or does not belong to this session; reload the page and try again");
        }
    }
}
