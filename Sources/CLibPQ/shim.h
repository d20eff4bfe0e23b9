#ifndef SQLGEN_CLIBPQ_SHIM_H
#define SQLGEN_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
