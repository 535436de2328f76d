/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-library.c: opens Kontor's private shared libraries (libkontor-services.so,
 * libkontor-accounts-ui.so in $libdir/kontor) the first time one of their symbols is
 * needed, so that the kontor binary does not map EDS, Camel, libsoup and the rest at
 * start-up. A library, once open, stays for the life of the process: it registers
 * static types. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "kontor-error.h"
#include "kontor-library.h"

G_LOCK_DEFINE_STATIC (libraries);

/**
 * kontor_library_get_default_directory:
 *
 * Returns: $KONTOR_LIBRARY_DIR when set (the build tree, tests; a list separated by
 * G_SEARCHPATH_SEPARATOR, as each library is built in its own folder), else the
 * installed folder, $libdir/kontor.
 */
const char *
kontor_library_get_default_directory (void)
{
  const char *dir = g_getenv ("KONTOR_LIBRARY_DIR");

  return dir != NULL && *dir != '\0' ? dir : PKGLIBDIR;
}

static GModule *
open_library (const char *library, GError **error)
{
  g_autofree char *file_name = g_strconcat ("lib", library, ".", G_MODULE_SUFFIX, NULL);
  g_auto (GStrv) dirs =
    g_strsplit (kontor_library_get_default_directory (), G_SEARCHPATH_SEPARATOR_S, -1);
  g_autofree char *path = NULL;
  g_autoptr (GError) local_error = NULL;
  GModule *module;

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      if (*dirs[i] == '\0')
        continue;
      g_free (path);
      path = g_build_filename (dirs[i], file_name, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        break;
    }
  if (path == NULL)
    path = g_build_filename (PKGLIBDIR, file_name, NULL);

  /* When it is nowhere, dlopen's error names the last place looked in. */
  module = g_module_open_full (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL, &local_error);
  if (module == NULL)
    {
      g_autofree char *message = g_strdup_printf (_ ("%s could not be loaded"), file_name);

      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED, "%s: %s", message,
                   local_error->message);
      return NULL;
    }
  g_module_make_resident (module);
  g_debug ("Opened %s", path);
  return module;
}

/**
 * kontor_library_lookup:
 * @library: the library's name without "lib" and suffix: "kontor-services"
 * @symbol: a function or variable it exports
 *
 * Opens @library (see kontor_library_get_default_directory()) unless it is open
 * already, and looks up @symbol in it. Thread-safe.
 *
 * Returns: (nullable): the address of @symbol, or %NULL with @error set
 *   (%KONTOR_ERROR_FAILED) when the library cannot be opened or lacks @symbol
 */
gpointer
kontor_library_lookup (const char *library, const char *symbol, GError **error)
{
  static GHashTable *modules = NULL; /* name -> GModule, never closed */
  GModule *module;
  gpointer address = NULL;

  g_return_val_if_fail (library != NULL, NULL);
  g_return_val_if_fail (symbol != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  G_LOCK (libraries);
  if (modules == NULL)
    modules = g_hash_table_new (g_str_hash, g_str_equal);
  module = g_hash_table_lookup (modules, library);
  if (module == NULL && (module = open_library (library, error)) != NULL)
    g_hash_table_insert (modules, g_strdup (library), module);
  if (module != NULL && !g_module_symbol (module, symbol, &address))
    g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED, "%s: %s", g_module_name (module),
                 g_module_error ());
  G_UNLOCK (libraries);

  return address;
}
