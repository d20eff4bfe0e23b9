/* What the result format costs before any decoding: every row of bench_wide (eight mixed columns)
 * fetched with PQexecParams in text and in binary format, alternating, ROUNDS times each.
 * usage: result_format CONNINFO ROUNDS   (prints "text MS" and "binary MS" lines, one per round) */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double fetch(PGconn *conn, int format) {
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    PGresult *result = PQexecParams(conn,
        "SELECT id, name, price, created_at, active, quantity, score, code FROM bench_wide",
        0, NULL, NULL, NULL, NULL, format);
    if (PQresultStatus(result) != PGRES_TUPLES_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); exit(1); }
    /* Touch every value, as any decoder must. */
    long total = 0;
    for (int row = 0; row < PQntuples(result); row++)
        for (int column = 0; column < 8; column++) total += PQgetlength(result, row, column) + *PQgetvalue(result, row, column);
    PQclear(result);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (total == 0) exit(1);
    return (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s conninfo rounds\n", argv[0]); return 2; }
    PGconn *conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); return 1; }
    int rounds = atoi(argv[2]);
    for (int round = 0; round < rounds; round++) {
        printf("text %.0f\n", fetch(conn, 0));
        printf("binary %.0f\n", fetch(conn, 1));
    }
    PQfinish(conn);
    return 0;
}
