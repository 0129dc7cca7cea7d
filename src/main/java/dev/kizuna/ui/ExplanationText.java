package dev.kizuna.ui;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The engine's explanation of a decision, in the reader's language. The engine stores it as one
 * English line built from fixed phrases around data (rule triggers, segment and event names,
 * condition sources); it is stored as written, because the API returns it and it must stay what
 * the engine said. For Japanese, each fixed phrase is translated when shown and the data in it is
 * kept as it is; a part that matches no known phrase (a newer engine's wording) stays in English.
 */
public final class ExplanationText {

    private record Phrase(Pattern pattern, Function<Matcher, String> japanese) {}

    private static final Map<String, String> CHECK_NAMES = Map.ofEntries(
            Map.entry("audience", "対象セグメント"),
            Map.entry("goal", "ゴール"),
            Map.entry("condition", "条件"),
            Map.entry("limit", "送信回数の制限"),
            Map.entry("holdout", "ホールドアウト"),
            Map.entry("owner CSM", "担当 CSM"),
            Map.entry("cap", "頻度上限"),
            Map.entry("address", "アドレス"),
            Map.entry("suppression", "送信停止リスト"),
            Map.entry("subscription", "購読"),
            Map.entry("quiet hours", "送信を控える時間帯"));

    private static final Map<String, String> CAUSE_TYPES = Map.of(
            "event",
            "イベント",
            "schedule",
            "スケジュール",
            "segment",
            "セグメント",
            "after",
            "経過",
            "inactivity",
            "無操作",
            "explain",
            "説明");

    private static final Pattern CHECK =
            Pattern.compile("(" + String.join("|", CHECK_NAMES.keySet()) + "): (.*)", Pattern.DOTALL);
    private static final Pattern TRIGGER_WITH_CAUSE = Pattern.compile("(.+) \\((\\w+)(?: ([^()]+))?\\)");

    private static final List<Phrase> TRIGGERS = List.of(
            phrase("event '(.+)'", m -> "イベント「" + m.group(1) + "」"),
            phrase("schedule '(.+)' \\((.+)\\)", m -> "スケジュール「" + m.group(1) + "」（" + m.group(2) + "）"),
            phrase(
                    "(\\S+) after '(.+?)'(?: unless '(.+)')?",
                    m -> "「" + m.group(2) + "」の " + m.group(1) + " 後"
                            + (m.group(3) == null ? "" : "（その間に「" + m.group(3) + "」がなければ）")),
            phrase("no '(.+)' for (\\S+)", m -> "「" + m.group(1) + "」が " + m.group(2) + " ない"),
            phrase("entering segment '(.+)'", m -> "セグメント「" + m.group(1) + "」に入った"),
            phrase("leaving segment '(.+)'", m -> "セグメント「" + m.group(1) + "」から出た"));

    private static final List<Phrase> DETAILS = List.of(
            phrase("the account is in none of (.+)", m -> "アカウントは " + m.group(1) + " のどれにも属していません"),
            phrase("the account is in (.+)", m -> "アカウントは " + m.group(1) + " に属しています"),
            phrase(
                    "milestone '(.+)' reached: the account left the rule",
                    m -> "マイルストーン「" + m.group(1) + "」を達成したため、アカウントはこのルールから外れました"),
            phrase(
                    "event '(.+)' happened after the last message: the account left the rule",
                    m -> "最後のメッセージの後にイベント「" + m.group(1) + "」が起きたため、アカウントはこのルールから外れました"),
            phrase("not reached yet", m -> "まだ達成していません"),
            phrase("(`.+`) failed: (.*)", m -> m.group(1) + " の評価に失敗しました: " + m.group(2)),
            phrase("(`.+`) is true", m -> m.group(1) + " は真です"),
            phrase("(`.+`) is false", m -> m.group(1) + " は偽です"),
            phrase("already sent once per (user|account)(?: every (\\S+))?", m -> "送信済みです（" + scope(m) + "）"),
            phrase("not sent yet once per (user|account)(?: every (\\S+))?", m -> "まだ送信していません（" + scope(m) + "）"),
            phrase(
                    "in the (\\d+)% holdout group \\(bucket (\\d+) of 10000\\)",
                    m -> m.group(1) + "% のホールドアウト群に入っています（10000 中のバケット " + m.group(2) + "）"),
            phrase(
                    "not in the (\\d+)% holdout group \\(bucket (\\d+) of 10000\\)",
                    m -> m.group(1) + "% のホールドアウト群に入っていません（10000 中のバケット " + m.group(2) + "）"),
            phrase(
                    "(email|inapp|csm|webhook|slack) '(.+?)': (.+)",
                    m -> m.group(1) + "「" + m.group(2) + "」: " + detail(m.group(3))),
            phrase("within the frequency caps", m -> "頻度上限の範囲内です"),
            phrase("posts to target '(.+)'", m -> "送信先「" + m.group(1) + "」に送信します"),
            phrase("target '(.+)' is not configured", m -> "送信先「" + m.group(1) + "」が設定されていません"),
            phrase(
                    "frequency cap: (\\d+) (\\w+) messages in the last 24 hours \\(cap (\\d+)\\)",
                    m -> "頻度上限: 直近 24 時間に " + m.group(2) + " メッセージが " + m.group(1) + " 件（上限 " + m.group(3) + " 件）"),
            phrase(
                    "frequency cap: (\\d+) (\\w+) messages in the last 7 days \\(cap (\\d+)\\)",
                    m -> "頻度上限: 直近 7 日間に " + m.group(2) + " メッセージが " + m.group(1) + " 件（上限 " + m.group(3) + " 件）"),
            phrase("the user has no email address", m -> "ユーザーにメールアドレスがありません"),
            phrase("the address is on the suppression list", m -> "アドレスが送信停止リストにあります"),
            phrase("the address is not suppressed", m -> "アドレスは送信停止されていません"),
            phrase("subscribed to '(.+)' emails", m -> "「" + m.group(1) + "」のメールを購読しています"),
            phrase("unsubscribed from '(.+)' emails", m -> "「" + m.group(1) + "」のメールの配信を停止しています"),
            phrase("the user unsubscribed from '(.+)' emails", m -> "ユーザーが「" + m.group(1) + "」のメールの配信を停止しました"),
            phrase(
                    "quiet hours in (\\S+), would be deferred to (\\S+)",
                    m -> m.group(1) + " の送信を控える時間帯のため、" + m.group(2) + " まで延期されます"),
            phrase(
                    "quiet hours in (\\S+): deferred to (\\S+)",
                    m -> m.group(1) + " の送信を控える時間帯のため、" + m.group(2) + " まで延期しました"),
            phrase("outside quiet hours in (\\S+)", m -> m.group(1) + " の送信を控える時間帯の外です"),
            phrase("the account has no owner CSM", m -> "アカウントに担当 CSM がいません"),
            phrase("alerts (.+)", m -> m.group(1) + " に通知します"),
            phrase("template failed: (.*)", m -> "テンプレートの処理に失敗しました: " + m.group(1)));

    private final boolean japanese;

    private ExplanationText(boolean japanese) {
        this.japanese = japanese;
    }

    static ExplanationText in(Locale locale) {
        return new ExplanationText(locale.getLanguage().equals("ja"));
    }

    /** A stored explanation: "trigger (cause type ref); check: detail; ...; note". */
    public String explanation(String stored) {
        if (!japanese || stored == null) {
            return stored;
        }
        String[] parts = stored.split("; ");
        parts[0] = triggerWithCause(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            Matcher check = CHECK.matcher(parts[i]);
            parts[i] = check.matches()
                    ? CHECK_NAMES.get(check.group(1)) + ": " + detail(check.group(2))
                    : detail(parts[i]);
        }
        return Arrays.stream(parts).collect(Collectors.joining("。"));
    }

    /** A rule's trigger as the engine describes it ("event 'Signed Up'"). */
    public String trigger(String described) {
        return japanese && described != null ? translate(TRIGGERS, described) : described;
    }

    public String checkName(String name) {
        return japanese ? CHECK_NAMES.getOrDefault(name, name) : name;
    }

    public String checkDetail(String detail) {
        return detail == null ? "" : japanese ? detail(detail) : detail;
    }

    private static String triggerWithCause(String part) {
        Matcher withCause = TRIGGER_WITH_CAUSE.matcher(part);
        if (!withCause.matches()) {
            return translate(TRIGGERS, part);
        }
        String cause = CAUSE_TYPES.getOrDefault(withCause.group(2), withCause.group(2));
        return translate(TRIGGERS, withCause.group(1)) + "がきっかけ（" + cause
                + (withCause.group(3) == null ? "" : " " + withCause.group(3)) + "）";
    }

    private static String detail(String text) {
        return translate(DETAILS, text);
    }

    private static String translate(List<Phrase> phrases, String text) {
        for (Phrase phrase : phrases) {
            Matcher matcher = phrase.pattern().matcher(text);
            if (matcher.matches()) {
                return phrase.japanese().apply(matcher);
            }
        }
        return text;
    }

    private static String scope(Matcher m) {
        return (m.group(1).equals("user") ? "ユーザー" : "アカウント") + "ごとに 1 回"
                + (m.group(2) == null ? "" : "、" + m.group(2) + " ごと");
    }

    private static Phrase phrase(String regex, Function<Matcher, String> japanese) {
        return new Phrase(Pattern.compile(regex, Pattern.DOTALL), japanese);
    }
}
