/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-plugin-manager.c: the plugin host's GTK-free half against real modules. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <glib/gstdio.h>

#include "kontor-core.h"

typedef struct
{
  char *dir;
  GSettings *settings;
  KontorContext *context;
  KontorPluginManager *manager;
} Fixture;

static void
link_plugin (const char *dir, const char *id)
{
  g_autofree char *name = g_strdup_printf ("libkontor-plugin-%s.so", id);
  g_autofree char *target = g_build_filename (g_getenv ("KONTOR_TEST_PLUGIN_DIR"), name, NULL);
  g_autofree char *link = g_build_filename (dir, name, NULL);

  /* A link, not a copy: the same file must not be mapped twice in one process. */
  g_assert_no_errno (symlink (target, link));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const char *const *ids = data;
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("kontor-plugins-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    link_plugin (f->dir, ids[i]);

  f->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (f->settings, "disabled-plugins");
  f->context = kontor_context_new (f->settings, NULL);
  f->manager = kontor_plugin_manager_new (f->context, f->dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_assert_finalize_object (f->manager);
  g_assert_finalize_object (f->context);
  g_settings_reset (f->settings, "disabled-plugins");
  g_clear_object (&f->settings);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
load_expecting_broken (Fixture *f)
{
  g_test_expect_message ("kontor-core", G_LOG_LEVEL_WARNING, "*broken*refuses to load*");
  kontor_plugin_manager_load_all (f->manager);
  g_test_assert_expected_messages ();
}

static const char *const all_plugins[] = { "alpha", "beta", "broken", NULL };
static const char *const good_plugins[] = { "alpha", "beta", NULL };

static void
test_load (Fixture *f, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (f->manager);
  g_autoptr (KontorPluginInfo) first = NULL;
  g_autoptr (KontorPluginInfo) second = NULL;
  g_autoptr (KontorPluginInfo) third = NULL;

  load_expecting_broken (f);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  first = g_list_model_get_item (model, 0);
  second = g_list_model_get_item (model, 1);
  third = g_list_model_get_item (model, 2);

  /* Display order comes from get_order(), not from file names. */
  g_assert_cmpstr (kontor_plugin_info_get_id (first), ==, "alpha");
  g_assert_cmpstr (kontor_plugin_info_get_title (first), ==, "Alpha");
  g_assert_cmpstr (kontor_plugin_info_get_state_name (first), ==, "loaded");
  g_assert_true (g_object_get_data (G_OBJECT (kontor_plugin_info_get_plugin (first)), "loaded"));
  /* Loading builds no page. */
  g_assert_null (
    g_object_get_data (G_OBJECT (kontor_plugin_info_get_plugin (first)), "page-created"));

  g_assert_cmpstr (kontor_plugin_info_get_id (second), ==, "beta");
  g_assert_cmpint (kontor_plugin_info_get_state (second), ==, KONTOR_PLUGIN_STATE_LOADED);

  g_assert_cmpstr (kontor_plugin_info_get_id (third), ==, "broken");
  g_assert_cmpint (kontor_plugin_info_get_state (third), ==, KONTOR_PLUGIN_STATE_FAILED);
  g_assert_cmpstr (kontor_plugin_info_get_error_message (third), ==,
                   "the test plugin refuses to load");
  g_assert_false (g_object_get_data (G_OBJECT (kontor_plugin_info_get_plugin (third)), "loaded"));

  g_assert_true (kontor_plugin_manager_lookup (f->manager, "beta") == second);
  g_assert_null (kontor_plugin_manager_lookup (f->manager, "gamma"));

  /* Unloading is safe twice and reaches every loaded plugin. */
  kontor_plugin_manager_unload_all (f->manager);
  kontor_plugin_manager_unload_all (f->manager);
  g_assert_false (g_object_get_data (G_OBJECT (kontor_plugin_info_get_plugin (first)), "loaded"));
}

static void
test_not_a_module (Fixture *f, gconstpointer data)
{
  g_autofree char *garbage = g_build_filename (f->dir, "libkontor-plugin-garbage.so", NULL);
  g_autoptr (GError) error = NULL;
  KontorPluginInfo *info;

  g_file_set_contents (garbage, "this is not a shared object\n", -1, &error);
  g_assert_no_error (error);

  g_test_expect_message ("kontor-core", G_LOG_LEVEL_WARNING, "*garbage*failed to load*");
  kontor_plugin_manager_load_all (f->manager);
  g_test_assert_expected_messages ();

  /* The good plugins still load; the bad one is listed, failed, with the reason. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 3);
  g_assert_cmpint (
    kontor_plugin_info_get_state (kontor_plugin_manager_lookup (f->manager, "alpha")), ==,
    KONTOR_PLUGIN_STATE_LOADED);
  info = kontor_plugin_manager_lookup (f->manager, "garbage");
  g_assert_nonnull (info);
  g_assert_cmpint (kontor_plugin_info_get_state (info), ==, KONTOR_PLUGIN_STATE_FAILED);
  g_assert_null (kontor_plugin_info_get_plugin (info));
  g_assert_nonnull (
    strstr (kontor_plugin_info_get_error_message (info), "libkontor-plugin-garbage.so"));

  /* It cannot be turned on. */
  g_assert_false (kontor_plugin_manager_set_enabled (f->manager, "garbage", TRUE, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_PLUGIN_UNAVAILABLE);
}

static void
count_cb (KontorPluginManager *manager, guint *count)
{
  (*count)++;
}

static void
test_disable (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) disabled = NULL;
  KontorPluginInfo *alpha;
  KontorPlugin *plugin;
  guint changes = 0;

  kontor_plugin_manager_load_all (f->manager);
  alpha = kontor_plugin_manager_lookup (f->manager, "alpha");
  plugin = kontor_plugin_info_get_plugin (alpha);

  g_assert_true (kontor_plugin_manager_set_enabled (f->manager, "alpha", FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kontor_plugin_info_get_state (alpha), ==, KONTOR_PLUGIN_STATE_DISABLED);
  g_assert_false (g_object_get_data (G_OBJECT (plugin), "loaded"));
  disabled = g_settings_get_strv (f->settings, "disabled-plugins");
  g_assert_true (g_strv_contains ((const char *const *) disabled, "alpha"));

  g_assert_true (kontor_plugin_manager_set_enabled (f->manager, "alpha", TRUE, &error));
  g_assert_cmpint (kontor_plugin_info_get_state (alpha), ==, KONTOR_PLUGIN_STATE_LOADED);
  g_assert_cmpint (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (plugin), "load-count")), ==, 2);
  g_clear_pointer (&disabled, g_strfreev);
  disabled = g_settings_get_strv (f->settings, "disabled-plugins");
  g_assert_false (g_strv_contains ((const char *const *) disabled, "alpha"));

  /* A change of the setting made elsewhere is followed too. */
  g_signal_connect (f->manager, "plugins-changed", G_CALLBACK (count_cb), &changes);
  g_settings_set_strv (f->settings, "disabled-plugins", (const char *const[]){ "beta", NULL });
  g_assert_cmpint (kontor_plugin_info_get_state (kontor_plugin_manager_lookup (f->manager, "beta")),
                   ==, KONTOR_PLUGIN_STATE_DISABLED);
  g_assert_cmpuint (changes, ==, 1);

  g_assert_false (kontor_plugin_manager_set_enabled (f->manager, "gamma", TRUE, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND);
}

static void
test_disabled_at_start (Fixture *f, gconstpointer data)
{
  KontorPluginInfo *beta;

  g_settings_set_strv (f->settings, "disabled-plugins", (const char *const[]){ "beta", NULL });
  kontor_plugin_manager_load_all (f->manager);

  beta = kontor_plugin_manager_lookup (f->manager, "beta");
  g_assert_cmpint (kontor_plugin_info_get_state (beta), ==, KONTOR_PLUGIN_STATE_DISABLED);
  /* Listed with its title for Preferences, but never loaded. */
  g_assert_cmpstr (kontor_plugin_info_get_title (beta), ==, "Beta");
  g_assert_null (g_object_get_data (G_OBJECT (kontor_plugin_info_get_plugin (beta)), "load-count"));
}

static void
test_empty (Fixture *f, gconstpointer data)
{
  g_autoptr (KontorPluginManager) missing =
    kontor_plugin_manager_new (f->context, "/nonexistent/kontor/plugins");

  kontor_plugin_manager_load_all (f->manager);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 0);
  kontor_plugin_manager_load_all (missing);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (missing)), ==, 0);
}

static void
route_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static KontorPluginInfo *
route (Fixture *f, const char *uri, char **out_uri, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  kontor_plugin_manager_route_async (f->manager, uri, NULL, route_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kontor_plugin_manager_route_finish (f->manager, result, out_uri, error);
}

static void
test_route (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *ics = g_build_filename (f->dir, "invite.ics", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *expected_uri = g_filename_to_uri (ics, NULL, NULL);
  KontorPluginInfo *info;

  g_file_set_contents (ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", -1, &error);
  g_assert_no_error (error);
  kontor_plugin_manager_load_all (f->manager);

  info = route (f, "mailto:someone@example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_plugin_info_get_id (info), ==, "beta");
  g_object_unref (info);

  info = route (f, "KONTOR-TEST-ALPHA:x", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_plugin_info_get_id (info), ==, "alpha");
  g_object_unref (info);

  /* A path becomes a file URI, and its content type picks the plugin. */
  info = route (f, ics, &uri, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kontor_plugin_info_get_id (info), ==, "alpha");
  g_assert_cmpstr (uri, ==, expected_uri);
  g_object_unref (info);

  g_assert_null (route (f, "/nonexistent/file.ics", NULL, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (route (f, "relative/file.ics", NULL, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (route (f, "https://example.org/", NULL, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* A turned-off plugin opens nothing. */
  g_assert_true (kontor_plugin_manager_set_enabled (f->manager, "beta", FALSE, NULL));
  g_assert_null (route (f, "mailto:someone@example.org", NULL, &error));
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED);
}

static void
test_dbus_error_names (void)
{
  g_autoptr (GError) error =
    g_error_new_literal (KONTOR_ERROR, KONTOR_ERROR_PLUGIN_UNAVAILABLE, "x");
  g_autofree char *name = g_dbus_error_encode_gerror (error);

  g_assert_cmpstr (name, ==, "io.github.kontor.Error.PluginUnavailable");
  g_clear_pointer (&name, g_free);
  g_clear_error (&error);

  error = g_error_new_literal (KONTOR_ERROR, KONTOR_ERROR_TLS_REQUIRED, "x");
  name = g_dbus_error_encode_gerror (error);
  g_assert_cmpstr (name, ==, "io.github.kontor.Error.TlsRequired");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, ids, func) \
  g_test_add ("/kontor/plugin-manager/" path, Fixture, ids, fixture_setup, func, fixture_teardown)
  ADD ("load", all_plugins, test_load);
  ADD ("not-a-module", good_plugins, test_not_a_module);
  ADD ("disable", good_plugins, test_disable);
  ADD ("disabled-at-start", good_plugins, test_disabled_at_start);
  ADD ("empty", NULL, test_empty);
  ADD ("route", good_plugins, test_route);
#undef ADD
  g_test_add_func ("/kontor/error/dbus-names", test_dbus_error_names);

  return g_test_run ();
}
