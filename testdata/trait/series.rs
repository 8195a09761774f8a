// A virtual table of the numbers 1 to 5, on the trait 'vtablegen trait' wrote.

unsafe extern "C" {
    fn sqlite3_declare_vtab(db: *mut sqlite3, sql: *const c_char) -> c_int;
    fn sqlite3_result_int64(ctx: *mut sqlite3_context, v: i64);
}

#[repr(C)]
struct VTab {
    module: *const c_void,
    n_ref: c_int,
    err: *mut c_char,
}

#[repr(C)]
struct Cursor {
    vtab: *mut sqlite3_vtab,
    i: i64,
}

pub struct Series;

#[vtable]
impl Sqlite3Module for Series {
    fn xConnect(
        db: *mut sqlite3,
        _aux: *mut c_void,
        _argc: c_int,
        _argv: *const *const c_char,
        vtab: *mut *mut sqlite3_vtab,
        _err: *mut *mut c_char,
    ) -> c_int {
        let rc = unsafe { sqlite3_declare_vtab(db, c"CREATE TABLE x(value)".as_ptr()) };
        if rc != 0 {
            return rc;
        }
        let v = Box::new(VTab { module: core::ptr::null(), n_ref: 0, err: core::ptr::null_mut() });
        unsafe { *vtab = Box::into_raw(v).cast() };
        0
    }

    fn xBestIndex(_vtab: *mut sqlite3_vtab, _info: *mut sqlite3_index_info) -> c_int {
        0
    }

    fn xDisconnect(vtab: *mut sqlite3_vtab) -> c_int {
        drop(unsafe { Box::from_raw(vtab.cast::<VTab>()) });
        0
    }

    fn xOpen(vtab: *mut sqlite3_vtab, cur: *mut *mut sqlite3_vtab_cursor) -> c_int {
        let c = Box::new(Cursor { vtab, i: 0 });
        unsafe { *cur = Box::into_raw(c).cast() };
        0
    }

    fn xClose(cur: *mut sqlite3_vtab_cursor) -> c_int {
        drop(unsafe { Box::from_raw(cur.cast::<Cursor>()) });
        0
    }

    fn xFilter(
        cur: *mut sqlite3_vtab_cursor,
        _idx: c_int,
        _idx_str: *const c_char,
        _argc: c_int,
        _argv: *mut *mut sqlite3_value,
    ) -> c_int {
        unsafe { (*cur.cast::<Cursor>()).i = 1 };
        0
    }

    fn xNext(cur: *mut sqlite3_vtab_cursor) -> c_int {
        unsafe { (*cur.cast::<Cursor>()).i += 1 };
        0
    }

    fn xEof(cur: *mut sqlite3_vtab_cursor) -> c_int {
        (unsafe { (*cur.cast::<Cursor>()).i } > 5) as c_int
    }

    fn xColumn(cur: *mut sqlite3_vtab_cursor, ctx: *mut sqlite3_context, _n: c_int) -> c_int {
        unsafe { sqlite3_result_int64(ctx, (*cur.cast::<Cursor>()).i) };
        0
    }

    fn xRowid(cur: *mut sqlite3_vtab_cursor, rowid: *mut sqlite3_int64) -> c_int {
        unsafe { *rowid = (*cur.cast::<Cursor>()).i };
        0
    }
}
