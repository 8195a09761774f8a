# VtableGen.cmake: runs `vtablegen gen` from CMake (3.20 or later, with the
# Ninja or Makefile generators) with the dependencies vtablegen reports.
#
#   include(path/to/build/cmake/VtableGen.cmake)
#   add_executable(app main.c)
#   vtablegen_generate(app CONFIG vtable.toml
#     OUTPUTS gen/stream_ops_vtable.c gen/stream_ops_vtable.rs gen/stream_expanded.rs)
#
# OUTPUTS are the files the binding file names, relative to the current
# source directory (where the binding file writes them); the C ones are
# added to the target's sources. The command runs in the source directory
# with absolute paths, and its depfile names every input vtablegen read
# (the binding file, each header, transitively, the Rust sources), so
# touching any of them regenerates. vtablegen rewrites an output only when
# its bytes change, and Ninja's restat (which CMake sets for custom
# commands) then skips what depends on it.
#
# VTABLEGEN is the command, default `vtablegen` on PATH.

if(NOT DEFINED VTABLEGEN)
  find_program(VTABLEGEN vtablegen REQUIRED)
endif()

function(vtablegen_generate target)
  cmake_parse_arguments(VG "" "CONFIG" "OUTPUTS" ${ARGN})
  if(NOT VG_CONFIG OR NOT VG_OUTPUTS)
    message(FATAL_ERROR "vtablegen_generate(${target} CONFIG file OUTPUTS files...)")
  endif()
  get_filename_component(config "${VG_CONFIG}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  set(outputs "")
  set(sources "")
  foreach(out IN LISTS VG_OUTPUTS)
    get_filename_component(abs "${out}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND outputs "${abs}")
    if(abs MATCHES "\\.c$")
      list(APPEND sources "${abs}")
    endif()
  endforeach()
  set(depfile "${CMAKE_CURRENT_BINARY_DIR}/${target}.vtablegen.d")
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${VTABLEGEN} gen -q -config ${config} -depfile ${depfile}
    DEPENDS ${config}
    DEPFILE ${depfile}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "vtablegen ${VG_CONFIG}"
    VERBATIM)
  target_sources(${target} PRIVATE ${sources})
endfunction()
