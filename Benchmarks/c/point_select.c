/* The floor: a point select by primary key in a loop with libpq's PQexecPrepared.
 * usage: point_select CONNINFO QUERIES ROWS   (prints queries per second) */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s conninfo queries rows\n", argv[0]); return 2; }
    PGconn *conn = PQconnectdb(argv[1]);
    if (PQstatus(conn) != CONNECTION_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); return 1; }
    long queries = atol(argv[2]), rows = atol(argv[3]);
    PGresult *prepared = PQprepare(conn, "point", "SELECT id, name, price, created_at FROM bench_items WHERE id = $1", 0, NULL);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); return 1; }
    PQclear(prepared);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char id[32];
    for (long i = 0; i < queries; i++) {
        snprintf(id, sizeof id, "%ld", i % rows + 1);
        const char *values[1] = {id};
        PGresult *result = PQexecPrepared(conn, "point", 1, values, NULL, NULL, 0);
        if (PQresultStatus(result) != PGRES_TUPLES_OK || PQntuples(result) != 1) { fprintf(stderr, "bad result\n"); return 1; }
        PQclear(result);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%.0f\n", queries / seconds);
    PQfinish(conn);
    return 0;
}
