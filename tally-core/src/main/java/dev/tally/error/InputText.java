package dev.tally.error;

/** How client input is quoted in error messages, and the characters no text field accepts. */
public final class InputText {
    private static final int SHOWN = 40;

    private InputText() {}

    /** The text, cut to a readable length so a huge value cannot bloat an error message. */
    public static String abbreviate(String text) {
        return abbreviate(text, SHOWN);
    }

    public static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    public static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
