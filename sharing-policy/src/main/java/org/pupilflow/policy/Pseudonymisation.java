package org.pupilflow.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A pseudonymised recipient gets a keyed HMAC-SHA256 of the UPN instead of the UPN, never
 * names, parents or telephone numbers, and only as much of the address as {@code address} says.
 */
public record Pseudonymisation(AddressDetail address) {

    public Pseudonymisation {
        address = address == null ? AddressDetail.NONE : address;
    }

    public enum AddressDetail {
        /** No address at all. */
        @JsonProperty("none")
        NONE,
        /** The outward part of the postcode only (e.g. {@code NR19}). */
        @JsonProperty("postcode-district")
        POSTCODE_DISTRICT
    }
}
