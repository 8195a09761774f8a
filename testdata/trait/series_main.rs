#![allow(non_camel_case_types, non_snake_case, dead_code)]

include!("gen/sqlite3_module_trait_expanded.rs");
include!("gen/series_expanded.rs");
include!("gen/sqlite3_module_vtable.rs");

unsafe extern "C" {
    fn sqlite3_open(name: *const c_char, db: *mut *mut sqlite3) -> c_int;
    fn sqlite3_create_module(db: *mut sqlite3, name: *const c_char, m: *const sqlite3_module_vtable::sqlite3_module, aux: *mut c_void) -> c_int;
    fn sqlite3_prepare_v2(db: *mut sqlite3, sql: *const c_char, n: c_int, stmt: *mut *mut c_void, tail: *mut *const c_char) -> c_int;
    fn sqlite3_step(stmt: *mut c_void) -> c_int;
    fn sqlite3_column_int64(stmt: *mut c_void, col: c_int) -> i64;
    fn sqlite3_finalize(stmt: *mut c_void) -> c_int;
    fn sqlite3_errmsg(db: *mut sqlite3) -> *const c_char;
}

static SERIES: sqlite3_module_vtable::sqlite3_module = sqlite3_module_vtable::Vtable::<Series>::VTABLE;

fn main() {
    assert!(SERIES.xCreate.is_none() && SERIES.xUpdate.is_none() && SERIES.xConnect.is_some());
    unsafe {
        let mut db = core::ptr::null_mut();
        assert_eq!(sqlite3_open(c":memory:".as_ptr(), &mut db), 0);
        assert_eq!(sqlite3_create_module(db, c"series".as_ptr(), &SERIES, core::ptr::null_mut()), 0);
        let mut stmt = core::ptr::null_mut();
        let rc = sqlite3_prepare_v2(db, c"SELECT sum(value), count(*) FROM series".as_ptr(), -1, &mut stmt, core::ptr::null_mut());
        if rc != 0 {
            panic!("prepare: {:?}", core::ffi::CStr::from_ptr(sqlite3_errmsg(db)));
        }
        assert_eq!(sqlite3_step(stmt), 100);
        println!("sum {} count {}", sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1));
        sqlite3_finalize(stmt);
    }
}
