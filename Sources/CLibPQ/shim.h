#ifndef SQLGEN_CLIBPQ_SHIM_H
#define SQLGEN_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#ifdef __linux__
/* The connection reactor waits on every connection's socket with epoll. */
#include <sys/epoll.h>
#endif
#endif
