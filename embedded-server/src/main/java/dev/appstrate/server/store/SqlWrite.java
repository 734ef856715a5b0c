package dev.appstrate.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A write one repository hands another to run inside that one's transaction. */
@FunctionalInterface
public interface SqlWrite {
    void write(Connection c) throws SQLException;
}
