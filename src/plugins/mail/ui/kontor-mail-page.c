/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-page.c: the three panes. The folder tree and the message list are
 * GtkListViews over the engine's models; the list model is virtual, so a folder of
 * 100,000 messages costs one summary read and a screenful of rows. Deleting, archiving
 * and junking hide the messages at once and act when the undo toast goes away. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-message-row.h"
#include "kontor-mail-message.h"
#include "kontor-mail-page-private.h"
#include "kontor-mail-page-probe.h"
#include "kontor-mail-reader.h"

G_DEFINE_FINAL_TYPE (KontorMailPage, kontor_mail_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SORT,
  PROP_FILTER_UNREAD,
  PROP_FILTER_FLAGGED,
  PROP_FILTER_ATTACHMENTS,
  PROP_WORK_OFFLINE,
  PROP_SEARCH_EVERYWHERE,
  PROP_THREADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Folder row helpers, called from the folder row template. */
static char *
row_count (GtkListItem *item, guint unread)
{
  return unread > 0 ? g_strdup_printf ("%u", unread) : g_strdup ("");
}

static GtkListItemFactory *
factory_new (const char *resource)
{
  g_autoptr (GtkBuilderScope) scope = gtk_builder_cscope_new ();

  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope), "kontor_mail_row_count",
                                           G_CALLBACK (row_count), NULL);
  return gtk_builder_list_item_factory_new_from_resource (scope, resource);
}

static void
message_row_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *row = kontor_mail_message_row_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkDragSource *drag = gtk_drag_source_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (kontor_mail_page_row_context_menu), item);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect_swapped (drag, "prepare", G_CALLBACK (kontor_mail_page_row_drag_prepare), item);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drag));
  gtk_list_item_set_child (item, row);
}

static void
message_row_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  kontor_mail_message_row_set_message (KONTOR_MAIL_MESSAGE_ROW (gtk_list_item_get_child (item)),
                                       gtk_list_item_get_item (item));
}

static void
message_row_unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  kontor_mail_message_row_set_message (KONTOR_MAIL_MESSAGE_ROW (gtk_list_item_get_child (item)),
                                       NULL);
}

/* Rows in code, not from a template: a big folder makes and binds them all the time. */
static GtkListItemFactory *
message_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (message_row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (message_row_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (message_row_unbind_cb), NULL);
  return factory;
}

/* Toast titles are markup; error messages quote Message-IDs with "<>". */
void
kontor_mail_page_report (KontorMailPage *self, const GError *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  g_message ("%s", error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* Message list ---------------------------------------------------------------------- */

static void
update_list_state (KontorMailPage *self)
{
  const char *page = "list";

  if (self->outbox_shown)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "outbox");
      return;
    }
  /* Only the unified Inbox: no mail account at all. */
  if (kontor_mail_engine_get_ready (self->engine) &&
      g_list_model_get_n_items (kontor_mail_engine_get_folders (self->engine)) <= 1)
    page = "no-account";
  else if (self->list == NULL)
    page = "loading";
  else if (!kontor_mail_message_list_get_loaded (self->list) &&
           g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0)
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0)
    {
      adw_status_page_set_title (self->empty_page,
                                 self->matches != NULL ? _ ("No Results") : _ ("No Messages"));
      page = "empty";
    }
  gtk_stack_set_visible_child_name (self->list_stack, page);
}

static gboolean
scroll_to_top_cb (gpointer data)
{
  KontorMailPage *self = data;

  if (self->list != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->message_view), "list.scroll-to-item", "u", 0);
  return G_SOURCE_REMOVE;
}

static void
list_changed_cb (GListModel *model,
                 guint position,
                 guint removed,
                 guint added,
                 KontorMailPage *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->message_view));

  update_list_state (self);
  /* New mail lands on top; GTK keeps the rows in view where they were, so whoever was
   * looking at the top keeps looking at the top, newest included. */
  if (position == 0 && added > removed && adjustment != NULL &&
      gtk_adjustment_get_value (adjustment) < 1.0)
    g_idle_add_full (G_PRIORITY_DEFAULT, scroll_to_top_cb, g_object_ref (self), g_object_unref);
}
void
kontor_mail_page_apply_hidden (KontorMailPage *self)
{
  g_autoptr (GHashTable) hidden = kontor_mail_engine_dup_hidden (self->engine);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->pending_hidden);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (hidden, g_strdup (key));
  if (self->list != NULL)
    kontor_mail_message_list_set_hidden (self->list, hidden);
}

static KontorMailFilter
current_filter (KontorMailPage *self)
{
  return (self->filter_unread ? KONTOR_MAIL_FILTER_UNREAD : 0) |
         (self->filter_flagged ? KONTOR_MAIL_FILTER_FLAGGED : 0) |
         (self->filter_attachments ? KONTOR_MAIL_FILTER_ATTACHMENTS : 0);
}

static KontorMailSort
current_sort (KontorMailPage *self)
{
  if (g_strcmp0 (self->sort, "sender") == 0)
    return KONTOR_MAIL_SORT_SENDER;
  if (g_strcmp0 (self->sort, "subject") == 0)
    return KONTOR_MAIL_SORT_SUBJECT;
  if (g_strcmp0 (self->sort, "size") == 0)
    return KONTOR_MAIL_SORT_SIZE;
  return KONTOR_MAIL_SORT_DATE;
}

static void
list_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailPage) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!kontor_mail_message_list_reload_finish (KONTOR_MAIL_MESSAGE_LIST (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kontor_mail_page_report (self, error);
      return;
    }
  update_list_state (self);
  kontor_mail_page_probe_list_loaded (GTK_WIDGET (self));
  if (self->pending_show != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->pending_show);

      kontor_mail_page_show_message_id (self, id);
    }
}

/* Rows a folder shows before it is open in Camel: more than a tall window holds. */
#define NEWEST_ROWS 64

typedef struct
{
  char *list_id;
  KontorMailSort sort;
  KontorMailFilter filter;
  gboolean newest; /* the newest rows first, the rest once the folders are open */
} OpenList;

static void
open_list_free (gpointer data)
{
  OpenList *open = data;

  g_free (open->list_id);
  g_free (open);
}

static gpointer
open_list_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  OpenList *open = data;
  KontorMailMessageList *list =
    open->newest
      ? kontor_mail_engine_open_list_newest_sync (engine, open->list_id, open->sort, open->filter,
                                                  NEWEST_ROWS, cancellable, error)
      : kontor_mail_engine_open_list_sync (engine, open->list_id, TRUE, cancellable, error);

  if (list != NULL)
    g_object_set_data_full (G_OBJECT (list), "kontor-list-id", g_strdup (open->list_id), g_free);
  return list;
}

typedef struct
{
  KontorMailMessageList *list;
  GHashTable *folders;
} OpenedFolders;

static void
opened_folders_free (gpointer data)
{
  OpenedFolders *opened = data;

  g_object_unref (opened->list);
  g_clear_pointer (&opened->folders, g_hash_table_unref);
  g_free (opened);
}

static gpointer
open_folders_job (KontorMailEngine *engine,
                  gpointer data,
                  GCancellable *cancellable,
                  GError **error)
{
  KontorMailMessageList *list = data;
  OpenedFolders *opened;
  GHashTable *folders = kontor_mail_engine_open_list_folders_sync (
    engine, list, g_object_get_data (G_OBJECT (list), "kontor-list-id"), cancellable, error);

  if (folders == NULL)
    return NULL;
  opened = g_new0 (OpenedFolders, 1);
  opened->list = g_object_ref (list);
  opened->folders = folders;
  return opened;
}

static void
load_whole_list (KontorMailPage *self)
{
  kontor_mail_message_list_reload_async (self->list, self->cancellable, list_loaded_cb,
                                         g_object_ref (self));
}

static void
folders_opened_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailPage) self = user_data;
  g_autoptr (GError) error = NULL;
  OpenedFolders *opened =
    kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);
  GHashTableIter iter;
  gpointer key, value;

  if (opened == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kontor_mail_page_report (self, error);
      return;
    }
  /* Another folder may have been chosen meanwhile. */
  if (opened->list == self->list)
    {
      g_hash_table_iter_init (&iter, opened->folders);
      while (g_hash_table_iter_next (&iter, &key, &value))
        kontor_mail_message_list_attach_folder (self->list, key, value);
      load_whole_list (self);
    }
  opened_folders_free (opened);
}

static void
list_opened_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorMailMessageList) list =
    kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);
  g_auto (GStrv) unopened = NULL;

  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kontor_mail_page_report (self, error);
      return;
    }
  /* Another folder was chosen while this one opened: that one's list wins. */
  if (g_strcmp0 (g_object_get_data (G_OBJECT (list), "kontor-list-id"), self->list_id) != 0)
    return;
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_set_object (&self->list, list);
  kontor_mail_message_list_set_sort (list, current_sort (self), FALSE);
  kontor_mail_message_list_set_filter (list, current_filter (self));
  kontor_mail_message_list_set_threaded (list, self->threaded);
  kontor_mail_message_list_set_matches (list, self->matches);
  kontor_mail_page_apply_hidden (self);
  g_signal_connect (list, "items-changed", G_CALLBACK (list_changed_cb), self);
  gtk_multi_selection_set_model (self->message_selection, G_LIST_MODEL (list));
  kontor_mail_page_probe_list_swapped (GTK_WIDGET (self), G_LIST_MODEL (list));
  update_list_state (self);
  unopened = kontor_mail_message_list_dup_unopened (list);
  if (unopened[0] != NULL)
    kontor_mail_engine_run_async (self->engine, open_folders_job, g_object_ref (list),
                                  g_object_unref, opened_folders_free, self->cancellable,
                                  folders_opened_cb, g_object_ref (self));
  else
    load_whole_list (self);
}

void
kontor_mail_page_open_folder (KontorMailPage *self, const char *folder_id)
{
  if (g_strcmp0 (self->folder_id, folder_id) == 0 && self->list != NULL)
    return;
  kontor_mail_page_probe_folder_opened (GTK_WIDGET (self), folder_id);
  g_free (self->folder_id);
  self->folder_id = g_strdup (folder_id);
  g_clear_pointer (&self->matches, g_hash_table_unref);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  kontor_mail_page_load_list (self, folder_id);
}

/* Replaces the list with one over list_id (a folder, the unified Inbox, or every
 * folder), keeping the current search. */
void
kontor_mail_page_load_list (KontorMailPage *self, const char *list_id)
{
  OpenList *open;

  g_free (self->list_id);
  self->list_id = g_strdup (list_id);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  gtk_multi_selection_set_model (self->message_selection, NULL);
  kontor_mail_reader_clear (self->reader, NULL);
  update_list_state (self);
  open = g_new0 (OpenList, 1);
  open->list_id = g_strdup (list_id);
  open->sort = current_sort (self);
  open->filter = current_filter (self);
  open->newest = self->matches == NULL && !self->threaded;
  kontor_mail_engine_run_async (self->engine, open_list_job, open, open_list_free, g_object_unref,
                                self->cancellable, list_opened_cb, g_object_ref (self));
}

/* Folders ---------------------------------------------------------------------------- */

static GListModel *
folder_children_cb (gpointer item, gpointer user_data)
{
  GListStore *children = kontor_mail_folder_get_children (item);

  /* Accounts always expand (their folders may still be on the way); folders only
   * when they have subfolders. */
  if (kontor_mail_folder_get_kind (item) == KONTOR_MAIL_FOLDER_KIND_UNIFIED ||
      (kontor_mail_folder_get_kind (item) == KONTOR_MAIL_FOLDER_KIND_FOLDER &&
       g_list_model_get_n_items (G_LIST_MODEL (children)) == 0))
    return NULL;
  return G_LIST_MODEL (g_object_ref (children));
}

static KontorMailFolder *
selected_folder (KontorMailPage *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->folder_selection);

  return row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
}

static void
folder_selected_cb (GtkSingleSelection *selection, GParamSpec *pspec, KontorMailPage *self)
{
  g_autoptr (KontorMailFolder) folder = selected_folder (self);

  if (folder == NULL || !kontor_mail_folder_get_selectable (folder))
    return;
  if (kontor_mail_page_leave_outbox (self))
    update_list_state (self);
  kontor_mail_page_open_folder (self, kontor_mail_folder_get_id (folder));
}

static void
folder_activated_cb (GtkListView *view, guint position, KontorMailPage *self)
{
  g_autoptr (GtkTreeListRow) row =
    g_list_model_get_item (G_LIST_MODEL (self->folder_selection), position);
  g_autoptr (KontorMailFolder) folder = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  if (folder != NULL && !kontor_mail_folder_get_selectable (folder))
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
  else
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* Start in the unified Inbox (or the only account's Inbox) once folders are known. */
static void
engine_ready_cb (KontorMailEngine *engine, GParamSpec *pspec, KontorMailPage *self)
{
  if (kontor_mail_engine_get_ready (engine) && self->folder_id == NULL)
    {
      gtk_single_selection_set_selected (self->folder_selection, 0);
      kontor_mail_page_open_folder (self, KONTOR_MAIL_UNIFIED_INBOX_ID);
    }
  update_list_state (self);
}

/* Accounts came or went: the unified Inbox is made of other folders now. */
static void
roots_changed_cb (GListModel *roots,
                  guint position,
                  guint removed,
                  guint added,
                  KontorMailPage *self)
{
  if (g_strcmp0 (self->folder_id, KONTOR_MAIL_UNIFIED_INBOX_ID) == 0)
    {
      g_clear_pointer (&self->folder_id, g_free);
      kontor_mail_page_open_folder (self, KONTOR_MAIL_UNIFIED_INBOX_ID);
    }
  update_list_state (self);
}

static void
inboxes_changed_cb (KontorMailPage *self)
{
  roots_changed_cb (NULL, 0, 0, 0, self);
}

static void
work_offline_changed_cb (KontorMailEngine *engine, GParamSpec *pspec, KontorMailPage *self)
{
  gboolean offline = kontor_mail_engine_get_work_offline (engine) ||
                     !g_network_monitor_get_network_available (g_network_monitor_get_default ());

  gtk_revealer_set_reveal_child (self->offline_revealer, offline);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORK_OFFLINE]);
}

/* Selection and reading --------------------------------------------------------------- */

GPtrArray *
kontor_mail_page_dup_selected_ids (KontorMailPage *self)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GtkBitset) selected =
    gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->message_selection));
  GtkBitsetIter iter;
  guint position;

  if (self->list == NULL)
    return ids;
  /* A conversation's row stands for all of its messages. */
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr (GPtrArray) at = kontor_mail_message_list_dup_ids_at (self->list, position);

      for (guint i = 0; i < at->len; i++)
        g_ptr_array_add (ids, g_strdup (g_ptr_array_index (at, i)));
    }
  return ids;
}

static void
flags_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailPage) self = user_data;
  g_autoptr (GError) error = NULL;

  kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    kontor_mail_page_report (self, error);
}

typedef struct
{
  GStrv ids;
  GStrv add;
  GStrv remove;
} FlagsJob;

static void
flags_job_free (gpointer data)
{
  FlagsJob *job = data;

  g_strfreev (job->ids);
  g_strfreev (job->add);
  g_strfreev (job->remove);
  g_free (job);
}

static gpointer
flags_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  FlagsJob *job = data;

  return kontor_mail_engine_set_flags_sync (engine, (const char *const *) job->ids,
                                            (const char *const *) job->add,
                                            (const char *const *) job->remove, cancellable, error)
           ? GINT_TO_POINTER (TRUE)
           : NULL;
}

void
kontor_mail_page_set_flags (KontorMailPage *self,
                            GPtrArray *ids,
                            const char *add,
                            const char *remove)
{
  FlagsJob *job = g_new0 (FlagsJob, 1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < ids->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (ids, i));
  job->ids = g_strv_builder_end (builder);
  job->add = g_strsplit (add != NULL ? add : "", ",", -1);
  job->remove = g_strsplit (remove != NULL ? remove : "", ",", -1);
  if (add == NULL || *add == '\0')
    g_clear_pointer (&job->add, g_strfreev);
  if (remove == NULL || *remove == '\0')
    g_clear_pointer (&job->remove, g_strfreev);
  kontor_mail_engine_run_async (self->engine, flags_job, job, flags_job_free, NULL,
                                self->cancellable, flags_done_cb, g_object_ref (self));
}

static gboolean
mark_read_cb (gpointer data)
{
  KontorMailPage *self = data;
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  const char *id = kontor_mail_reader_get_message_id (self->reader);

  self->mark_read_id = 0;
  if (id != NULL)
    {
      g_ptr_array_add (ids, (gpointer) id);
      kontor_mail_page_set_flags (self, ids, "seen", NULL);
    }
  return G_SOURCE_REMOVE;
}

static void
message_selection_changed_cb (GtkSelectionModel *model,
                              guint position,
                              guint n,
                              KontorMailPage *self)
{
  g_autoptr (GPtrArray) ids = kontor_mail_page_dup_selected_ids (self);
  g_autoptr (GtkBitset) rows = gtk_selection_model_get_selection (model);
  guint delay = g_settings_get_uint (self->settings, "mail-mark-read-delay");
  g_autofree char *shown = NULL;

  kontor_mail_page_update_compose_actions (self);
  g_clear_handle_id (&self->mark_read_id, g_source_remove);
  /* One row (a message, or a conversation shown by its top message) is read. */
  if (gtk_bitset_get_size (rows) != 1 || self->list == NULL)
    {
      g_autofree char *title =
        ids->len > 1
          ? g_strdup_printf (ngettext ("%u message selected", "%u messages selected", ids->len),
                             ids->len)
          : NULL;

      kontor_mail_reader_clear (self->reader, title);
      return;
    }
  shown = kontor_mail_message_list_dup_id (self->list, gtk_bitset_get_nth (rows, 0));
  kontor_mail_reader_show (self->reader, shown);
  adw_leaflet_set_visible_child_name (self->leaflet, "reader");
  {
    g_autoptr (KontorMailMessage) message =
      g_list_model_get_item (G_LIST_MODEL (self->message_selection),
                             gtk_bitset_get_nth (gtk_selection_model_get_selection (model), 0));

    if (message != NULL && kontor_mail_message_get_unread (message) && delay != G_MAXUINT)
      self->mark_read_id = g_timeout_add (delay * 1000, mark_read_cb, self);
  }
}

void
kontor_mail_page_show_message_id (KontorMailPage *self, const char *message_id)
{
  guint position;

  /* A notification or a mid: link shows its message, not the Outbox. */
  if (kontor_mail_page_leave_outbox (self))
    update_list_state (self);
  if (self->list == NULL || !kontor_mail_message_list_get_loaded (self->list))
    {
      g_free (self->pending_show);
      self->pending_show = g_strdup (message_id);
      return;
    }
  position = kontor_mail_message_list_find (self->list, message_id);
  if (position == G_MAXUINT)
    {
      kontor_mail_reader_show (self->reader, message_id);
      adw_leaflet_set_visible_child_name (self->leaflet, "reader");
      return;
    }
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->message_selection), position, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self->message_view), "list.scroll-to-item", "u",
                              position);
  /* The keyboard then works on the list: arrows, Delete, S. */
  gtk_widget_grab_focus (GTK_WIDGET (self->message_view));
}

static gpointer
find_mid_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  return kontor_mail_engine_find_mid_sync (engine, data, cancellable, error);
}

static void
mid_found_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);
  g_autofree char *folder_id = NULL;

  if (id == NULL)
    {
      kontor_mail_page_report (self, error);
      return;
    }
  kontor_mail_message_id_parse (id, &folder_id, NULL);
  kontor_mail_page_open_folder (self, folder_id);
  kontor_mail_page_show_message_id (self, id);
}

/* mid: links name a Message-ID header; find which folder has it, then show it. */
void
kontor_mail_page_open_message (KontorMailPage *self, const char *mid)
{
  g_return_if_fail (KONTOR_IS_MAIL_PAGE (self));
  kontor_mail_engine_run_async (self->engine, find_mid_job, g_strdup (mid), g_free, g_free,
                                self->cancellable, mid_found_cb, g_object_ref (self));
}


/* Life cycle ------------------------------------------------------------------------ */

static void
kontor_mail_page_dispose (GObject *object)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
  g_clear_handle_id (&self->mark_read_id, g_source_remove);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_MAIL_PAGE);
  g_clear_object (&self->list);
  g_clear_object (&self->menu_folder);
  g_clear_object (&self->folder_selection);
  g_clear_object (&self->message_selection);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kontor_mail_page_parent_class)->dispose (object);
}

static void
kontor_mail_page_finalize (GObject *object)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->matches, g_hash_table_unref);
  g_clear_pointer (&self->pending_hidden, g_hash_table_unref);
  g_free (self->folder_id);
  g_free (self->list_id);
  g_free (self->pending_show);
  g_free (self->sort);

  G_OBJECT_CLASS (kontor_mail_page_parent_class)->finalize (object);
}

static void
kontor_mail_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (object);

  switch (prop_id)
    {
      case PROP_SORT:
        g_value_set_string (value, self->sort != NULL ? self->sort : "date");
        break;
      case PROP_FILTER_UNREAD:
        g_value_set_boolean (value, self->filter_unread);
        break;
      case PROP_FILTER_FLAGGED:
        g_value_set_boolean (value, self->filter_flagged);
        break;
      case PROP_FILTER_ATTACHMENTS:
        g_value_set_boolean (value, self->filter_attachments);
        break;
      case PROP_SEARCH_EVERYWHERE:
        g_value_set_boolean (value, self->search_everywhere);
        break;
      case PROP_THREADED:
        g_value_set_boolean (value, self->threaded);
        break;
      case PROP_WORK_OFFLINE:
        g_value_set_boolean (value, self->engine != NULL &&
                                      kontor_mail_engine_get_work_offline (self->engine));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_page_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (object);

  switch (prop_id)
    {
      case PROP_SORT:
        g_free (self->sort);
        self->sort = g_value_dup_string (value);
        if (self->list != NULL)
          kontor_mail_message_list_set_sort (self->list, current_sort (self), FALSE);
        break;
      case PROP_FILTER_UNREAD:
        self->filter_unread = g_value_get_boolean (value);
        break;
      case PROP_FILTER_FLAGGED:
        self->filter_flagged = g_value_get_boolean (value);
        break;
      case PROP_FILTER_ATTACHMENTS:
        self->filter_attachments = g_value_get_boolean (value);
        break;
      case PROP_THREADED:
        self->threaded = g_value_get_boolean (value);
        if (self->list != NULL)
          kontor_mail_message_list_set_threaded (self->list, self->threaded);
        g_object_notify_by_pspec (object, pspec);
        return;
      case PROP_SEARCH_EVERYWHERE:
        self->search_everywhere = g_value_get_boolean (value);
        kontor_mail_page_search_changed (self);
        g_object_notify_by_pspec (object, pspec);
        return;
      case PROP_WORK_OFFLINE:
        kontor_mail_engine_set_work_offline (self->engine, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        return;
    }
  if (prop_id != PROP_SORT && prop_id != PROP_WORK_OFFLINE && self->list != NULL)
    kontor_mail_message_list_set_filter (self->list, current_filter (self));
  g_object_notify_by_pspec (object, pspec);
}

static void
kontor_mail_page_class_init (KontorMailPageClass *klass)
{
  GdkDisplay *display = gdk_display_get_default ();

  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kontor_mail_page_dispose;
  object_class->finalize = kontor_mail_page_finalize;
  object_class->get_property = kontor_mail_page_get_property;
  object_class->set_property = kontor_mail_page_set_property;

  properties[PROP_SORT] = g_param_spec_string ("sort", NULL, NULL, "date", flags);
  properties[PROP_FILTER_UNREAD] = g_param_spec_boolean ("filter-unread", NULL, NULL, FALSE, flags);
  properties[PROP_FILTER_FLAGGED] =
    g_param_spec_boolean ("filter-flagged", NULL, NULL, FALSE, flags);
  properties[PROP_FILTER_ATTACHMENTS] =
    g_param_spec_boolean ("filter-attachments", NULL, NULL, FALSE, flags);
  properties[PROP_WORK_OFFLINE] = g_param_spec_boolean ("work-offline", NULL, NULL, FALSE, flags);
  properties[PROP_THREADED] = g_param_spec_boolean ("threaded", NULL, NULL, FALSE, flags);
  properties[PROP_SEARCH_EVERYWHERE] =
    g_param_spec_boolean ("search-everywhere", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KONTOR_TYPE_MAIL_READER);
  /* The plugin's icons come with its resources, registered after the theme was read. */
  if (display != NULL)
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                      "/io/github/kontor/Kontor/icons");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kontor/Kontor/mail/kontor-mail-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, folder_view);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, message_view);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, search_error);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, reader);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, message_menu);
  gtk_widget_class_bind_template_child (widget_class, KontorMailPage, folder_menu);

  gtk_widget_class_install_property_action (widget_class, "mail.sort", "sort");
  gtk_widget_class_install_property_action (widget_class, "mail.filter-unread", "filter-unread");
  gtk_widget_class_install_property_action (widget_class, "mail.filter-flagged", "filter-flagged");
  gtk_widget_class_install_property_action (widget_class, "mail.filter-attachments",
                                            "filter-attachments");
  gtk_widget_class_install_property_action (widget_class, "mail.work-offline", "work-offline");
  gtk_widget_class_install_property_action (widget_class, "mail.threaded", "threaded");
  gtk_widget_class_install_property_action (widget_class, "mail.search-everywhere",
                                            "search-everywhere");
  kontor_mail_page_class_init_actions (widget_class);
  kontor_mail_page_class_init_folder_actions (widget_class);
  kontor_mail_page_class_init_compose (widget_class);
  kontor_mail_page_class_init_drafts (widget_class);
}

static void
search_changed_cb (GtkSearchEntry *entry, KontorMailPage *self)
{
  kontor_mail_page_search_changed (self);
}

static void
kontor_mail_page_init (KontorMailPage *self)
{
  g_autoptr (GtkListItemFactory) folder_factory = NULL;
  g_autoptr (GtkListItemFactory) message_factory = NULL;

  /* The menu's actions read their state while the template is built. */
  self->sort = g_strdup ("date");
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->pending_hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->message_selection = gtk_multi_selection_new (NULL);
  g_signal_connect (self->message_selection, "selection-changed",
                    G_CALLBACK (message_selection_changed_cb), self);
  kontor_mail_page_update_compose_actions (self);
  message_factory = message_factory_new ();
  gtk_list_view_set_factory (self->message_view, message_factory);
  gtk_list_view_set_model (self->message_view, GTK_SELECTION_MODEL (self->message_selection));
  folder_factory = factory_new ("/io/github/kontor/Kontor/mail/kontor-mail-folder-row.ui");
  gtk_list_view_set_factory (self->folder_view, folder_factory);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->folder_view, "activate", G_CALLBACK (folder_activated_cb), self);
  kontor_mail_page_init_drop (self);
  kontor_mail_page_init_drafts (self);
  /* Timing hooks of the Mail benchmark, only with KONTOR_MAIL_PROBE set. */
  kontor_mail_page_probe_attach (GTK_WIDGET (self), self->message_view, NULL);
  kontor_mail_page_init_folder_menu (self);
}

KontorMailPage *
kontor_mail_page_new (KontorMailEngine *engine)
{
  KontorMailPage *self = g_object_new (KONTOR_TYPE_MAIL_PAGE, NULL);
  GtkTreeListModel *tree;

  self->engine = g_object_ref (engine);
  self->settings = g_settings_new (APPLICATION_ID);
  tree = gtk_tree_list_model_new (g_object_ref (kontor_mail_engine_get_folders (engine)), FALSE,
                                  TRUE, folder_children_cb, NULL, NULL);
  self->folder_selection = gtk_single_selection_new (G_LIST_MODEL (tree));
  gtk_single_selection_set_autoselect (self->folder_selection, FALSE);
  gtk_list_view_set_model (self->folder_view, GTK_SELECTION_MODEL (self->folder_selection));
  g_signal_connect (self->folder_selection, "notify::selected-item",
                    G_CALLBACK (folder_selected_cb), self);
  kontor_mail_reader_set_engine (self->reader, engine);

  g_signal_connect (engine, "notify::ready", G_CALLBACK (engine_ready_cb), self);
  g_signal_connect_object (kontor_mail_engine_get_folders (engine), "items-changed",
                           G_CALLBACK (roots_changed_cb), self, 0);
  g_signal_connect_swapped (engine, "inboxes-changed", G_CALLBACK (inboxes_changed_cb), self);
  g_signal_connect (engine, "notify::work-offline", G_CALLBACK (work_offline_changed_cb), self);
  g_signal_connect_swapped (engine, "hidden-changed", G_CALLBACK (kontor_mail_page_apply_hidden),
                            self);
  work_offline_changed_cb (engine, NULL, self);
  kontor_mail_page_init_outbox (self);
  engine_ready_cb (engine, NULL, self);
  return self;
}
