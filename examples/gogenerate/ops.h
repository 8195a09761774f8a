/* ops.h: a filter plugin interface. */
#ifndef GOGENERATE_OPS_H
#define GOGENERATE_OPS_H

struct filter;

struct filter_ops {
	int (*init)(struct filter *);
	int (*apply)(struct filter *, const char *buf, unsigned long len);
	void (*destroy)(struct filter *);
};

#endif
