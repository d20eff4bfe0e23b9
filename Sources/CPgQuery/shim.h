#ifndef SQLGEN_CPGQUERY_SHIM_H
#define SQLGEN_CPGQUERY_SHIM_H
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#endif
