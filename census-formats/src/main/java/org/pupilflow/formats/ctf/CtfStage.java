package org.pupilflow.formats.ctf;

/** CTF {@code KeyStage/Stage} codes for the assessments a census record carries. */
public enum CtfStage {
    EYFSP("FSP"),
    PHONICS("PHO"),
    KS1("KS1"),
    KS2("KS2");

    private final String code;

    CtfStage(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
