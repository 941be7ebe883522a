package dev.tally.contact;

import static java.util.Objects.requireNonNull;

/**
 * How a request names a contact. The {@link #field()} is the wire field, used in error messages
 * ({@code No such user_id[314159]}).
 */
public sealed interface ContactRef {
    String field();

    String value();

    /** Tally's id: addresses users and leads. */
    record ById(ContactId id) implements ContactRef {
        public ById {
            requireNonNull(id, "id is null");
        }

        @Override
        public String field() {
            return "id";
        }

        @Override
        public String value() {
            return id.value();
        }
    }

    /** The application's own id for a user ({@code user_id} on the wire). */
    record ByExternalId(String externalId) implements ContactRef {
        public ByExternalId {
            requireNonNull(externalId, "externalId is null");
        }

        @Override
        public String field() {
            return "user_id";
        }

        @Override
        public String value() {
            return externalId;
        }
    }

    /** A user's email; several users sharing it is a conflict. */
    record ByEmail(String email) implements ContactRef {
        public ByEmail {
            requireNonNull(email, "email is null");
        }

        @Override
        public String field() {
            return "email";
        }

        @Override
        public String value() {
            return email;
        }
    }
}
