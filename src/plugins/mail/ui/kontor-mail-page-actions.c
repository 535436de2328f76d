/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-page-actions.c: what the user does to messages: keyboard shortcuts, the
 * context menu, search, drag and drop onto folders, and moves with an undo toast. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-message.h"
#include "kontor-mail-page-private.h"

/* Moves with undo -------------------------------------------------------------------- */

typedef struct
{
  KontorMailPage *self;
  GStrv ids;
  KontorMailRole role; /* where to: trash (delete), archive, junk, or none for folder_id */
  char *folder_id;
  gboolean undone;
} PendingMove;

static void
pending_move_free (gpointer data)
{
  PendingMove *move = data;

  g_object_unref (move->self);
  g_strfreev (move->ids);
  g_free (move->folder_id);
  g_free (move);
}

static void
pending_move_notify (gpointer data, GClosure *closure)
{
  pending_move_free (data);
}

static gpointer
move_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  PendingMove *move = data;
  const char *const *ids = (const char *const *) move->ids;
  g_autofree char *account_id = NULL;
  gboolean ok;

  if (move->role == KONTOR_MAIL_ROLE_TRASH)
    ok = kontor_mail_engine_delete_sync (engine, ids, cancellable, error);
  else if (move->folder_id != NULL)
    ok = kontor_mail_engine_move_sync (engine, ids, move->folder_id, cancellable, error);
  else
    {
      const char *flag[] = { "junk", NULL };

      /* Junk without a Junk folder: flagged as junk where it is. */
      ok = kontor_mail_engine_set_flags_sync (engine, ids, flag, NULL, cancellable, error);
    }
  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
move_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailPage) self = user_data;
  g_autoptr (GError) error = NULL;

  kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    kontor_mail_page_report (self, error);
}

static void
toast_dismissed_cb (AdwToast *toast, PendingMove *move)
{
  KontorMailPage *self = move->self;
  PendingMove *job;

  for (guint i = 0; move->ids[i] != NULL; i++)
    g_hash_table_remove (self->pending_hidden, move->ids[i]);
  if (move->undone)
    {
      kontor_mail_page_apply_hidden (self);
      return;
    }
  job = g_new0 (PendingMove, 1);
  job->self = g_object_ref (self);
  job->ids = g_strdupv (move->ids);
  job->role = move->role;
  job->folder_id = g_strdup (move->folder_id);
  /* Stays hidden until the engine's own bookkeeping (journal, expunge) takes over. */
  for (guint i = 0; move->ids[i] != NULL; i++)
    g_hash_table_add (self->pending_hidden, g_strdup (move->ids[i]));
  kontor_mail_engine_run_async (self->engine, move_job, job, pending_move_free, NULL, NULL,
                                move_done_cb, g_object_ref (self));
}

static void
toast_undo_cb (AdwToast *toast, PendingMove *move)
{
  move->undone = TRUE;
}

static char *
role_folder_id (KontorMailPage *self, const char *message_id, KontorMailRole role)
{
  g_autofree char *folder_id = NULL;
  g_autofree char *account_id = NULL;
  KontorMailAccount *account;
  KontorMailFolder *folder;

  if (!kontor_mail_message_id_parse (message_id, &folder_id, NULL) ||
      !kontor_mail_folder_id_parse (folder_id, &account_id, NULL) ||
      (account = kontor_mail_engine_lookup_account (self->engine, account_id)) == NULL ||
      (folder = kontor_mail_account_find_role (account, role)) == NULL)
    return NULL;
  return g_strdup (kontor_mail_folder_get_id (folder));
}

static void
move_with_undo (KontorMailPage *self, KontorMailRole role, const char *folder_id)
{
  g_autoptr (GPtrArray) ids = kontor_mail_page_dup_selected_ids (self);
  PendingMove *move;
  AdwToast *toast;
  g_autofree char *title = NULL;

  if (ids->len == 0)
    return;
  move = g_new0 (PendingMove, 1);
  move->self = g_object_ref (self);
  move->role = role;
  if (folder_id != NULL)
    move->folder_id = g_strdup (folder_id);
  else if (role == KONTOR_MAIL_ROLE_ARCHIVE || role == KONTOR_MAIL_ROLE_JUNK)
    move->folder_id = role_folder_id (self, g_ptr_array_index (ids, 0), role);
  if (role == KONTOR_MAIL_ROLE_ARCHIVE && move->folder_id == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_ ("This account has no Archive folder")));
      pending_move_free (move);
      return;
    }
  g_ptr_array_add (ids, NULL);
  move->ids = g_strdupv ((char **) ids->pdata);
  for (guint i = 0; move->ids[i] != NULL; i++)
    g_hash_table_add (self->pending_hidden, g_strdup (move->ids[i]));
  kontor_mail_page_apply_hidden (self);

  switch (role)
    {
      case KONTOR_MAIL_ROLE_TRASH:
        title = g_strdup_printf (
          ngettext ("%u message deleted", "%u messages deleted", ids->len - 1), ids->len - 1);
        break;
      case KONTOR_MAIL_ROLE_ARCHIVE:
        title = g_strdup_printf (
          ngettext ("%u message archived", "%u messages archived", ids->len - 1), ids->len - 1);
        break;
      case KONTOR_MAIL_ROLE_JUNK:
        title = g_strdup_printf (
          ngettext ("%u message marked as junk", "%u messages marked as junk", ids->len - 1),
          ids->len - 1);
        break;
      default:
        title = g_strdup_printf (ngettext ("%u message moved", "%u messages moved", ids->len - 1),
                                 ids->len - 1);
        break;
    }
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _ ("_Undo"));
  g_signal_connect (toast, "button-clicked", G_CALLBACK (toast_undo_cb), move);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), move,
                         pending_move_notify, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Actions --------------------------------------------------------------------------- */

static void
delete_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  move_with_undo (KONTOR_MAIL_PAGE (widget), KONTOR_MAIL_ROLE_TRASH, NULL);
}

static void
archive_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  move_with_undo (KONTOR_MAIL_PAGE (widget), KONTOR_MAIL_ROLE_ARCHIVE, NULL);
}

static void
junk_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  move_with_undo (KONTOR_MAIL_PAGE (widget), KONTOR_MAIL_ROLE_JUNK, NULL);
}

static void
move_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  move_with_undo (KONTOR_MAIL_PAGE (widget), KONTOR_MAIL_ROLE_NONE,
                  g_variant_get_string (parameter, NULL));
}

/* Toggles follow the first selected message: all read if it was unread, and so on. */
static void
toggle_flag (KontorMailPage *self, const char *flag, gboolean (*is_set) (KontorMailMessage *))
{
  g_autoptr (GPtrArray) ids = kontor_mail_page_dup_selected_ids (self);
  g_autoptr (GtkBitset) selected = NULL;
  g_autoptr (KontorMailMessage) first = NULL;

  if (ids->len == 0)
    return;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->message_selection));
  first = g_list_model_get_item (G_LIST_MODEL (self->message_selection),
                                 gtk_bitset_get_minimum (selected));
  if (first != NULL && is_set (first))
    kontor_mail_page_set_flags (self, ids, NULL, flag);
  else
    kontor_mail_page_set_flags (self, ids, flag, NULL);
}

static gboolean
message_is_read (KontorMailMessage *message)
{
  return !kontor_mail_message_get_unread (message);
}

static void
toggle_read_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  toggle_flag (KONTOR_MAIL_PAGE (widget), "seen", message_is_read);
}

static void
toggle_flag_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  toggle_flag (KONTOR_MAIL_PAGE (widget), "flagged", kontor_mail_message_get_flagged);
}

static void
search_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_folders_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  adw_leaflet_navigate (KONTOR_MAIL_PAGE (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static gpointer
sync_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  return kontor_mail_engine_sync_sync (engine, NULL, cancellable, error) ? GINT_TO_POINTER (TRUE)
                                                                         : NULL;
}

static void
sync_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailPage *self = KONTOR_MAIL_PAGE (widget);

  kontor_mail_engine_run_async (self->engine, sync_job, NULL, NULL, NULL, self->cancellable,
                                move_done_cb, g_object_ref (self));
}

static void
preferences_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  kontor_mail_page_show_preferences (KONTOR_MAIL_PAGE (widget));
}

/* Search ----------------------------------------------------------------------------- */

static gpointer
search_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  char **args = data;

  return kontor_mail_engine_search_sync (engine, args[0], args[1], cancellable, error);
}

static void
search_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) ids = kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);
  GHashTable *matches;

  if (ids == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_text (self->search_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->search_error), TRUE);
      return;
    }
  matches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (matches, g_strdup (ids[i]));
  g_clear_pointer (&self->matches, g_hash_table_unref);
  self->matches = matches;
  /* Results from every folder need a list over every folder. */
  if (self->search_everywhere && g_strcmp0 (self->list_id, KONTOR_MAIL_EVERYWHERE_ID) != 0)
    kontor_mail_page_load_list (self, KONTOR_MAIL_EVERYWHERE_ID);
  else if (self->list != NULL)
    kontor_mail_message_list_set_matches (self->list, matches);
}

void
kontor_mail_page_search_changed (KontorMailPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  char **args;

  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->search_error), FALSE);
  if (text == NULL || *text == '\0')
    {
      g_clear_pointer (&self->matches, g_hash_table_unref);
      if (self->folder_id != NULL && g_strcmp0 (self->list_id, self->folder_id) != 0)
        kontor_mail_page_load_list (self, self->folder_id);
      else if (self->list != NULL)
        kontor_mail_message_list_set_matches (self->list, NULL);
      return;
    }
  self->search_cancellable = g_cancellable_new ();
  args = g_new0 (char *, 3);
  args[0] = g_strdup (text);
  args[1] = g_strdup (self->folder_id != NULL && !self->search_everywhere ? self->folder_id : "");
  kontor_mail_engine_run_async (self->engine, search_job, args, (GDestroyNotify) g_strfreev,
                                (GDestroyNotify) g_strfreev, self->search_cancellable,
                                search_done_cb, g_object_ref (self));
}

static gboolean
unparent_cb (gpointer data)
{
  gtk_widget_unparent (data);
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* A menu item's action is activated after its menu closes: the popover must still be
 * in the widget tree then, or the action is not found. */
void
kontor_mail_page_popover_closed_cb (GtkPopover *popover)
{
  g_idle_add (unparent_cb, g_object_ref (popover));
}

/* Context menu and drag and drop ----------------------------------------------------- */

#define DRAG_PREFIX "kontor-message-ids:"

static KontorMailPage *
page_of (GtkListItem *item)
{
  GtkWidget *child = gtk_list_item_get_child (item);

  return child != NULL ? KONTOR_MAIL_PAGE (gtk_widget_get_ancestor (child, KONTOR_TYPE_MAIL_PAGE))
                       : NULL;
}

/* Acting on a row that is not selected acts on that row alone, as in Files. */
static void
select_row (KontorMailPage *self, GtkListItem *item)
{
  guint position = gtk_list_item_get_position (item);

  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->message_selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->message_selection), position, TRUE);
}

void
kontor_mail_page_row_context_menu (GtkListItem *item,
                                   int n_press,
                                   double x,
                                   double y,
                                   GtkGestureClick *gesture)
{
  KontorMailPage *self = page_of (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *popover;

  if (self == NULL)
    return;
  select_row (self, item);
  popover = gtk_popover_menu_new_from_model (self->message_menu);
  gtk_widget_set_parent (popover, row);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle){ (int) x, (int) y, 1, 1 });
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  g_signal_connect (popover, "closed", G_CALLBACK (kontor_mail_page_popover_closed_cb), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

GdkContentProvider *
kontor_mail_page_row_drag_prepare (GtkListItem *item, double x, double y, GtkDragSource *source)
{
  KontorMailPage *self = page_of (item);
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GString) text = g_string_new (DRAG_PREFIX);

  if (self == NULL)
    return NULL;
  select_row (self, item);
  ids = kontor_mail_page_dup_selected_ids (self);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", (char *) g_ptr_array_index (ids, i));
  return gdk_content_provider_new_typed (G_TYPE_STRING, text->str);
}

static KontorMailFolder *
folder_at (KontorMailPage *self, double x, double y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->folder_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *expander =
    picked != NULL ? gtk_widget_get_ancestor (picked, GTK_TYPE_TREE_EXPANDER) : NULL;
  gpointer item =
    expander != NULL ? gtk_tree_expander_get_item (GTK_TREE_EXPANDER (expander)) : NULL;

  return KONTOR_IS_MAIL_FOLDER (item) ? item : NULL;
}

static gboolean
folder_drop_cb (GtkDropTarget *target,
                const GValue *value,
                double x,
                double y,
                KontorMailPage *self)
{
  const char *text = g_value_get_string (value);
  KontorMailFolder *folder = folder_at (self, x, y);

  if (folder == NULL || text == NULL || !g_str_has_prefix (text, DRAG_PREFIX) ||
      kontor_mail_folder_get_kind (folder) != KONTOR_MAIL_FOLDER_KIND_FOLDER ||
      !kontor_mail_folder_get_selectable (folder))
    return FALSE;
  /* The dragged rows are the selection (the drag selected them). */
  gtk_widget_activate_action (GTK_WIDGET (self), "message.move", "s",
                              kontor_mail_folder_get_id (folder));
  return TRUE;
}

static GdkDragAction
folder_motion_cb (GtkDropTarget *target, double x, double y, KontorMailPage *self)
{
  KontorMailFolder *folder = folder_at (self, x, y);

  return folder != NULL && kontor_mail_folder_get_kind (folder) == KONTOR_MAIL_FOLDER_KIND_FOLDER &&
             kontor_mail_folder_get_selectable (folder)
           ? GDK_ACTION_MOVE
           : 0;
}

void
kontor_mail_page_init_drop (KontorMailPage *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  g_signal_connect (target, "drop", G_CALLBACK (folder_drop_cb), self);
  g_signal_connect (target, "motion", G_CALLBACK (folder_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->folder_view), GTK_EVENT_CONTROLLER (target));
}

void
kontor_mail_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "message.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "message.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "message.junk", NULL, junk_action);
  gtk_widget_class_install_action (widget_class, "message.move", "s", move_action);
  gtk_widget_class_install_action (widget_class, "message.toggle-read", NULL, toggle_read_action);
  gtk_widget_class_install_action (widget_class, "message.toggle-flag", NULL, toggle_flag_action);
  gtk_widget_class_install_action (widget_class, "mail.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "mail.show-folders", NULL, show_folders_action);
  gtk_widget_class_install_action (widget_class, "mail.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "mail.preferences", NULL, preferences_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "message.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "message.toggle-read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "message.toggle-flag", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, GDK_CONTROL_MASK, "message.junk",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "mail.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_slash, 0, "mail.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "mail.sync", NULL);
}
