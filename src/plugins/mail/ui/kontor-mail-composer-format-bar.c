/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-composer-format-bar.c: the Rich Text button in the composer's header bar
 * and the formatting bar it reveals above the text, built in code beside the
 * composer's template. Every button has a tooltip with its shortcut and an
 * accessible label. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-composer-format-private.h"

static void
describe (GtkWidget *button, const char *label, const char *tooltip)
{
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static GtkToggleButton *
toggle_new (GtkWidget *box, const char *icon, const char *label, const char *tooltip)
{
  GtkWidget *button = gtk_toggle_button_new ();

  gtk_button_set_icon_name (GTK_BUTTON (button), icon);
  gtk_widget_set_focus_on_click (button, FALSE);
  describe (button, label, tooltip);
  gtk_box_append (GTK_BOX (box), button);
  return GTK_TOGGLE_BUTTON (button);
}

static void
button_new (GtkWidget *box,
            const char *icon,
            const char *action,
            const char *label,
            const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_focus_on_click (button, FALSE);
  describe (button, label, tooltip);
  gtk_box_append (GTK_BOX (box), button);
}

static GtkWidget *
group_new (GtkWidget *bar)
{
  GtkWidget *group = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (group, "linked");
  gtk_box_append (GTK_BOX (bar), group);
  return group;
}

void
kontor_mail_composer_format_build (KontorMailComposer *self)
{
  KontorMailComposerFormat *format = self->format;
  GtkWidget *header = gtk_widget_get_first_child (self->content_box);
  GtkWidget *scrolled =
    gtk_widget_get_ancestor (GTK_WIDGET (self->body_view), GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *group, *rich;

  g_assert (ADW_IS_HEADER_BAR (header));
  rich = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (rich), "font-select-symbolic");
  describe (rich, _ ("Rich Text"), _ ("Rich Text: Bold, Lists, Links and Images"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), rich);
  format->rich_button = GTK_TOGGLE_BUTTON (rich);

  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Formatting"), -1);

  group = group_new (bar);
  format->inline_buttons[0] =
    toggle_new (group, "format-text-bold-symbolic", _ ("Bold"), _ ("Bold (Ctrl+B)"));
  format->inline_buttons[1] =
    toggle_new (group, "format-text-italic-symbolic", _ ("Italic"), _ ("Italic (Ctrl+I)"));
  format->inline_buttons[2] =
    toggle_new (group, "format-text-underline-symbolic", _ ("Underline"), _ ("Underline (Ctrl+U)"));

  group = group_new (bar);
  format->bullet_button =
    toggle_new (group, "view-list-bullet-symbolic", _ ("Bulleted List"), _ ("Bulleted List"));
  format->number_button =
    toggle_new (group, "view-list-ordered-symbolic", _ ("Numbered List"), _ ("Numbered List"));
  button_new (group, "format-indent-less-symbolic", "format.outdent", _ ("Decrease Indent"),
              _ ("Decrease Indent (Ctrl+[)"));
  button_new (group, "format-indent-more-symbolic", "format.indent", _ ("Increase Indent"),
              _ ("Increase Indent (Ctrl+])"));

  group = group_new (bar);
  format->quote_button =
    toggle_new (group, "kontor-format-quote-symbolic", _ ("Quote"), _ ("Quote"));

  group = group_new (bar);
  button_new (group, "insert-link-symbolic", "format.link", _ ("Link"), _ ("Link… (Ctrl+K)"));
  button_new (group, "insert-image-symbolic", "format.image", _ ("Insert Image"),
              _ ("Insert Image…"));

  format->toolbar = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (format->toolbar, bar);
  gtk_box_insert_child_after (GTK_BOX (self->content_box), GTK_WIDGET (format->toolbar),
                              gtk_widget_get_prev_sibling (scrolled));
}
