package io.eventfn.app.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A setting that takes one of a few words, each the {@link #setting()} of an enum constant. Every word-valued setting
 * is parsed here, the same way: the value must be one of the words exactly as written (lower case, no blanks), because
 * application.properties also uses it as written (for instance to pick the per-guarantee tuning).
 */
interface SettingWord {

    /** The word users write, e.g. {@code at-least-once}. */
    String setting();

    /**
     * @param choices  the allowed constants, the default first
     * @param variable the environment variable the value came from
     * @throws InvalidSettingException naming {@code variable}, the value, the allowed words and the default
     */
    static <E extends Enum<E> & SettingWord> E parse(E[] choices, String value, String variable) {
        return Arrays.stream(choices).filter(choice -> choice.setting().equals(value)).findFirst()
                .orElseThrow(() -> new InvalidSettingException(variable + "='" + value
                        + "' is not supported: set it to " + words(choices) + "."));
    }

    /** {@code a (the default), b or c} */
    private static String words(SettingWord[] choices) {
        String others = Arrays.stream(choices).skip(1).map(SettingWord::setting).collect(Collectors.joining(", "));
        int last = others.lastIndexOf(", ");
        return choices[0].setting() + " (the default)" + (last < 0 ? " or " + others
                : ", " + others.substring(0, last) + " or " + others.substring(last + 2));
    }
}
