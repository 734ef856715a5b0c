package dev.appstrate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void takesTheOriginalsFormsAndPassesQueryParametersThrough() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://app:s3cr%40t@db.internal:6543/appstrate?sslmode=require&application_name=x");
        assertEquals("db.internal", u.host());
        assertEquals(6543, u.port());
        assertEquals("appstrate", u.database());
        assertEquals("app", u.user());
        assertEquals("s3cr@t", u.effectivePassword(), "percent-encoded credentials are decoded");
        assertEquals("jdbc:postgresql://db.internal:6543/appstrate?sslmode=require&application_name=x&stringtype=unspecified",
                u.jdbcUrl());
        assertEquals("postgres://app:***@db.internal:6543/appstrate?sslmode=require&application_name=x", u.masked());
        assertEquals("db.internal:6543/appstrate", u.display());

        DatabaseUrl d = DatabaseUrl.parse("postgresql://bob@localhost");
        assertEquals(5432, d.port());
        assertEquals("bob", d.database(), "libpq's default database is the user's name");
        assertEquals("postgres://bob@localhost:5432/bob", d.masked());

        DatabaseUrl v6 = DatabaseUrl.parse("postgres://u:p:w@[::1]:5433/db");
        assertEquals("[::1]", v6.host());
        assertEquals(5433, v6.port());
        assertEquals("p:w", v6.effectivePassword());
    }

    @Test
    void neverShowsThePasswordAndRefusesWhatIsNotPostgres() {
        DatabaseUrl q = DatabaseUrl.parse("postgres://u@h/db?password=hunter2&sslmode=disable");
        assertEquals("hunter2", q.effectivePassword());
        assertFalse(q.masked().contains("hunter2"), q.masked());
        assertFalse(q.jdbcUrl().contains("hunter2"), "the password goes in the driver's properties, not the URL");
        assertFalse(q.toString().contains("hunter2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("mysql://u:hunter2@h/db"));
        assertFalse(e.getMessage().contains("hunter2"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("postgres://u:hunter2@h:0/db"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("postgres://h:5432/db"), "a user is required");
    }

    @Test
    void anyPasswordLikeParameterIsMaskedToo() {
        // pgjdbc's sslpassword (the client key's passphrase) is as secret as the password
        DatabaseUrl q = DatabaseUrl.parse("postgres://u:p@h/db?sslmode=verify-full&sslpassword=k3yphrase");
        assertFalse(q.masked().contains("k3yphrase"), q.masked());
        assertFalse(q.toString().contains("k3yphrase"));
        assertEquals("postgres://u:***@h:5432/db?sslmode=verify-full&sslpassword=***", q.masked());
    }
}
