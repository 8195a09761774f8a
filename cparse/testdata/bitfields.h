enum kind { K_A, K_B };

/* A bitfield after other members shares their storage unit (GCC, the
 * x86-64 ABI): kind at byte 6, x at 7, size 16. */
struct after {
	unsigned int flags;
	unsigned short len;
	enum kind kind:8;
	unsigned char x;
	void (*f)(void);
};

/* One that would straddle its unit moves to the next: b at byte 4. */
struct straddle {
	unsigned char c[3];
	unsigned int a:4;
	unsigned int b:30;
	int (*g)(int);
};

/* An aligned member after the bitfield keeps its alignment. */
struct aligned_tail {
	unsigned short len;
	unsigned int k:8;
	void (*h)(void);
	char tail[] __attribute__((aligned(64)));
};

/* Packed after the closing brace, as the kernel's __packed: members one
 * after the other (perf_raw_frag is 28 bytes, not 32). */
struct packed_after {
	union {
		struct packed_after *next;
		unsigned long pad;
	};
	int (*copy)(void *);
	void *data;
	unsigned int size;
} __attribute__((__packed__));

/* Packed, with bitfields bit after bit and a char after them. */
struct packed_bits {
	unsigned char c;
	unsigned int a:4;
	unsigned int b:30;
	char d;
	void (*e)(void);
} __attribute__((packed));

/* Packed and aligned after the brace. */
struct packed_aligned {
	char c;
	void (*f)(void);
} __attribute__((packed, aligned(4)));

/* A packed struct by value in another: the outer one is laid out with the
 * inner one's packed size and alignment (struct vmbus_channel's offermsg). */
struct inner_packed {
	char c;
	long l;
} __attribute__((packed));

struct holds_packed {
	int state;
	struct inner_packed msg;
	struct inner_packed two[2];
	void (*cb)(void);
};

/* Packed written before the tag, on a struct and on a union held by value
 * (the ChromeOS EC's "union __ec_align_offset1 ..."). */
struct __attribute__((packed)) packed_before {
	char c;
	long l;
	void (*f)(void);
};

union __attribute__((packed)) packed_union {
	char c[5];
	int i;
};

struct holds_packed_union {
	char c;
	union packed_union u;
	void (*g)(void);
};

/* An enum made one byte by a mode attribute after its body (the kernel's
 * "} __mode(byte);", enum netfs_io_origin), held by value. */
enum small_origin { SO_A, SO_B } __attribute__((__mode__(__byte__)));

struct holds_small_enum {
	long l;
	enum small_origin origin;
	_Bool flag;
	void (*h)(void);
};

/* Members packed by an attribute of their own declaration (struct
 * ceph_gcm_nonce's "__le64 counter __packed;"), after the declarator and
 * before the type; and a struct that holds one by value. */
struct packed_member {
	int fixed;
	long counter __attribute__((__packed__));
};

struct packed_member_before {
	char c;
	__attribute__((packed)) long l;
	short s;
	void (*f)(void);
};

struct holds_packed_member {
	char c;
	struct packed_member m;
	void (*g)(void);
};

/* Enums packed by an attribute after their body (the kernel's enum
 * rw_hint, one byte in struct bio), unsigned and signed, held by value
 * next to an anonymous union whose offset moves with them. */
enum packed_hint { PH_A = 0, PH_B = 5, } __attribute__((__packed__));
enum packed_wide { PW_A = -1, PW_B = 300 } __attribute__((__packed__));

struct holds_packed_enums {
	char c;
	enum packed_hint h;
	enum packed_wide w;
	union {
		int i;
		unsigned u;
	};
	void (*f)(void);
};

/* An array of empty structs (the kernel's lock_class_key without lockdep,
 * s_writers_key[3] in struct file_system_type): no bytes, to GCC. */
struct empty_key { };

struct holds_empty_keys {
	long l;
	struct empty_key a;
	struct empty_key b[3];
	struct empty_key c;
	int (*f)(void);
};

/* A member aligned by its own attribute right after bitfields, written
 * with GNU C's "x ?: y" (struct page_pool's cacheline groups). */
struct aligned_after_bits {
	int cpuid;
	_Bool a:1;
	_Bool b:1;
	unsigned char group[0] __attribute__((__aligned__(((4 * sizeof(long)) + 0) ? : (1 << 6))));
	long users;
	void (*f)(void);
};
