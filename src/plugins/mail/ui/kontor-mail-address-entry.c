/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-address-entry.c: the text after the last comma (outside quotes) is
 * completed through KontorAddressCompletion; the matches show in a popover under the
 * entry, which keeps the keyboard focus: Up/Down choose, Enter or Tab (or a click)
 * take the match, Escape closes the list. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-mail-address-entry.h"

#define N_MATCHES 8

struct _KontorMailAddressEntry
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkEntry *entry;
  GtkPopover *popover;
  GtkListView *list_view;

  /* Owned */
  KontorAddressCompletion *completion;
  GtkSingleSelection *selection;
  GCancellable *cancellable;
  gboolean replacing;
};

G_DEFINE_FINAL_TYPE (KontorMailAddressEntry, kontor_mail_address_entry, ADW_TYPE_BIN)

/* Where the address being typed starts: after the last comma outside quotes. */
static gsize
current_start (const char *text)
{
  gboolean quoted = FALSE;
  gsize start = 0;

  for (gsize i = 0; text[i] != '\0'; i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (text[i] == ',' && !quoted)
        start = i + 1;
    }
  return start;
}

static void
accept (KontorMailAddressEntry *self, guint position)
{
  g_autoptr (KontorCompletionResult) result =
    g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *prefix = NULL;
  g_autofree char *address = NULL;
  g_autofree char *replaced = NULL;

  if (result == NULL)
    return;
  prefix = g_strndup (text, current_start (text));
  g_strchomp (prefix);
  address = kontor_completion_result_to_rfc822 (result);
  replaced = g_strconcat (prefix, *prefix != '\0' ? " " : "", address, ", ", NULL);
  self->replacing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), replaced);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  self->replacing = FALSE;
  gtk_popover_popdown (self->popover);
}

/* The focus is in the entry's text, not in the GtkEntry itself. */
static gboolean
has_focus (KontorMailAddressEntry *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == GTK_WIDGET (self->entry) ||
                           gtk_widget_is_ancestor (focus, GTK_WIDGET (self->entry)));
}

static void
completed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailAddressEntry) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) matches =
    kontor_address_completion_complete_finish (KONTOR_ADDRESS_COMPLETION (object), result, &error);

  if (matches == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Address completion failed: %s", error->message);
      return;
    }
  /* Answered after the window went away. */
  if (self->popover == NULL)
    return;
  gtk_single_selection_set_model (self->selection, matches);
  if (g_list_model_get_n_items (matches) == 0 || !has_focus (self))
    {
      gtk_popover_popdown (self->popover);
      return;
    }
  gtk_single_selection_set_selected (self->selection, 0);
  gtk_popover_popup (self->popover);
}

static void
changed_cb (KontorMailAddressEntry *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *typed = g_strstrip (g_strdup (text + current_start (text)));

  if (self->replacing || self->completion == NULL || self->popover == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (g_utf8_strlen (typed, -1) < 2)
    {
      gtk_popover_popdown (self->popover);
      return;
    }
  self->cancellable = g_cancellable_new ();
  kontor_address_completion_complete_async (self->completion, typed, N_MATCHES, self->cancellable,
                                            completed_cb, g_object_ref (self));
}

static gboolean
key_pressed_cb (KontorMailAddressEntry *self,
                guint keyval,
                guint keycode,
                GdkModifierType state,
                GtkEventControllerKey *controller)
{
  guint n, selected;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  selected = gtk_single_selection_get_selected (self->selection);
  switch (keyval)
    {
      case GDK_KEY_Down:
      case GDK_KEY_KP_Down:
        if (n > 0)
          gtk_single_selection_set_selected (
            self->selection, selected == GTK_INVALID_LIST_POSITION ? 0 : (selected + 1) % n);
        return TRUE;
      case GDK_KEY_Up:
      case GDK_KEY_KP_Up:
        if (n > 0)
          gtk_single_selection_set_selected (
            self->selection,
            selected == GTK_INVALID_LIST_POSITION || selected == 0 ? n - 1 : selected - 1);
        return TRUE;
      case GDK_KEY_Return:
      case GDK_KEY_KP_Enter:
      case GDK_KEY_ISO_Enter:
      case GDK_KEY_Tab:
        if ((state & GDK_CONTROL_MASK) || selected == GTK_INVALID_LIST_POSITION)
          return FALSE;
        accept (self, selected);
        return TRUE;
      case GDK_KEY_Escape:
        gtk_popover_popdown (self->popover);
        return TRUE;
      default:
        return FALSE;
    }
}

static void
activate_cb (KontorMailAddressEntry *self, guint position)
{
  accept (self, position);
}

static void
focus_leave_cb (KontorMailAddressEntry *self)
{
  g_cancellable_cancel (self->cancellable);
  /* Also called while the window goes away, after dispose took the popover. */
  if (self->popover != NULL)
    gtk_popover_popdown (self->popover);
}

static void
row_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *address = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_width_chars (GTK_LABEL (name), 36);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (address), 0);
  gtk_label_set_width_chars (GTK_LABEL (address), 36);
  gtk_label_set_ellipsize (GTK_LABEL (address), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (address, "dim-label");
  gtk_widget_add_css_class (address, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), address);
  gtk_list_item_set_child (item, box);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  KontorCompletionResult *result = gtk_list_item_get_item (item);
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *address = gtk_widget_get_next_sibling (name);
  const char *display = kontor_completion_result_get_name (result);

  gboolean named = display != NULL && *display != '\0';

  gtk_label_set_label (GTK_LABEL (name),
                       named ? display : kontor_completion_result_get_address (result));
  gtk_label_set_label (GTK_LABEL (address), kontor_completion_result_get_address (result));
  gtk_widget_set_visible (address, named);
}

static void
kontor_mail_address_entry_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  KontorMailAddressEntry *self = KONTOR_MAIL_ADDRESS_ENTRY (widget);

  GTK_WIDGET_CLASS (kontor_mail_address_entry_parent_class)
    ->size_allocate (widget, width, height, baseline);
  if (self->popover != NULL)
    gtk_popover_present (self->popover);
}

static void
kontor_mail_address_entry_dispose (GObject *object)
{
  KontorMailAddressEntry *self = KONTOR_MAIL_ADDRESS_ENTRY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->popover));
  self->popover = NULL;
  self->list_view = NULL;
  /* The entry is AdwBin's child, which AdwBin's own dispose unparents: taken away here
   * instead of by gtk_widget_dispose_template(), which would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  self->entry = NULL;
  g_clear_object (&self->selection);
  g_clear_object (&self->completion);

  G_OBJECT_CLASS (kontor_mail_address_entry_parent_class)->dispose (object);
}

static void
kontor_mail_address_entry_class_init (KontorMailAddressEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_mail_address_entry_dispose;
  widget_class->size_allocate = kontor_mail_address_entry_size_allocate;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/kontor/Kontor/mail/kontor-mail-address-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorMailAddressEntry, entry);
  gtk_widget_class_bind_template_child (widget_class, KontorMailAddressEntry, popover);
  gtk_widget_class_bind_template_child (widget_class, KontorMailAddressEntry, list_view);
}

static void
kontor_mail_address_entry_init (KontorMailAddressEntry *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (activate_cb), self);
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (changed_cb), self);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
}

void
kontor_mail_address_entry_set_completion (KontorMailAddressEntry *self,
                                          KontorAddressCompletion *completion)
{
  g_return_if_fail (KONTOR_IS_MAIL_ADDRESS_ENTRY (self));
  g_set_object (&self->completion, completion);
}

GtkEditable *
kontor_mail_address_entry_get_editable (KontorMailAddressEntry *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_ADDRESS_ENTRY (self), NULL);
  return GTK_EDITABLE (self->entry);
}

/* The text as one entry of KontorMailComposeFields (which takes several addresses per
 * entry); empty when only separators were typed. */
GStrv
kontor_mail_address_entry_dup_addresses (KontorMailAddressEntry *self)
{
  g_autofree char *text = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (KONTOR_IS_MAIL_ADDRESS_ENTRY (self), NULL);
  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  g_strstrip (text);
  while (*text != '\0' && text[strlen (text) - 1] == ',')
    {
      text[strlen (text) - 1] = '\0';
      g_strchomp (text);
    }
  if (*text != '\0')
    g_strv_builder_add (builder, text);
  return g_strv_builder_end (builder);
}

void
kontor_mail_address_entry_set_addresses (KontorMailAddressEntry *self, const char *const *addresses)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KONTOR_IS_MAIL_ADDRESS_ENTRY (self));
  text = addresses != NULL ? g_strjoinv (", ", (char **) addresses) : g_strdup ("");
  self->replacing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  self->replacing = FALSE;
}
